# SPDX-License-Identifier: BSD-3-Clause
# TG_SANITIZE (e.g. "address,undefined") instruments every target of the build.
if(TG_SANITIZE)
  add_compile_options(-fsanitize=${TG_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${TG_SANITIZE})
endif()
