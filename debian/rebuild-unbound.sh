#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs inside a clean build root of a Debian suite (debian/build-packages.sh starts it there):
# rebuilds that suite's own `unbound` source package with the dynlib module, under a local
# version, and adds one binary package for building modules against exactly this build.
#   rebuild-unbound.sh OUTDIR
# Leaves the .deb, .changes and .buildinfo files in OUTDIR and prints the package version.
#
# What changes against Debian's package (everything else is Debian's: flags, patches, unit,
# AppArmor profile, conffiles, maintainer scripts):
#   - debian/rules: `--with-dynlibmodule` added to the daemon's configure (next to
#     `--with-pythonmodule`, which only that configure has);
#   - debian/control and debian/rules: a binary package `unbound-module-dev` with the build's
#     config.h and every header of the configured tree, in /usr/include/unbound-module (a
#     module reads Unbound's internal structures, so it must be compiled against the very
#     tree the daemon was built from);
#   - debian/changelog: a local version made by `dch --local +typoguard`, so that apt ranks it
#     above the Debian version it comes from, and a Debian update ranks above both.
set -euo pipefail

readonly PROG=rebuild-unbound.sh
die() {
  echo "$PROG: error: $*" >&2
  exit 1
}
[[ $# -eq 1 ]] || die "usage: $PROG OUTDIR"
outdir=$1
mkdir -p -- "$outdir"

work=/build/unbound
rm -rf -- "$work"
mkdir -p -- "$work"
cd -- "$work"
apt-get -q source unbound >source.log 2>&1 || {
  tail -n 20 source.log >&2
  if grep -q '404 *Not Found' source.log; then
    die "the archive lists the unbound source package but serves none of its files (404 above):" \
      "this suite's unbound cannot be rebuilt from this mirror (TYPOGUARD_MIRROR chooses another)"
  fi
  die "apt-get source unbound failed (is a deb-src entry for the suite configured?)"
}
tree=$(find . -mindepth 1 -maxdepth 1 -type d -name 'unbound-*' | head -n 1)
[[ -n $tree && -f $tree/debian/rules ]] || die "apt-get source left no unbound-* tree"
cd -- "$tree"

# --- the daemon's configure gains --with-dynlibmodule -------------------------------------
n=$(grep -c -- '--with-pythonmodule \\$' debian/rules || true)
[[ $n -eq 1 ]] || die "debian/rules has $n lines '--with-pythonmodule \\' (expected 1): its format changed"
sed -i 's/^\(\s*\)--with-pythonmodule \\$/&\n\1--with-dynlibmodule \\/' debian/rules
grep -q -- '--with-dynlibmodule \\$' debian/rules || die "could not add --with-dynlibmodule to debian/rules"

# --- unbound-module-dev --------------------------------------------------------------------
cat >>debian/control <<'EOF'

Package: unbound-module-dev
Section: devel
Architecture: any
Multi-Arch: same
Depends: unbound (= ${binary:Version}), ${misc:Depends}
Build-Profiles: <!pkg.unbound.libonly>
Description: internal headers of this unbound build, for dynlib modules
 Unbound installs no internal headers: a module loaded through the dynlib
 module reads the daemon's structures, whose layout depends on the version,
 the configure options and the patches of one build. This package holds the
 configured tree's config.h and headers of exactly the unbound package of the
 same version, in /usr/include/unbound-module.
EOF

cat >>debian/rules <<'EOF'

# unbound-module-dev: the configured daemon tree's headers (sources, then the generated ones
# of b/unbound, config.h among them), for modules built against exactly this daemon.
execute_after_dh_auto_install:
ifeq (,${libonly})
	set -e; dest=debian/unbound-module-dev/usr/include/unbound-module; \
	for top in . b/unbound; do \
	  (cd $$top && find . -name '*.h' -not -path './debian/*' -not -path './b/*' \
	    -not -path './.pc/*' -not -path './testcode/*' -not -path './contrib/*' \
	    -not -path './pythonmod/*' -not -path './libunbound/python/*') | \
	  while read -r h; do install -D -p -m 0644 "$$top/$$h" "$$dest/$$h"; done; \
	done; \
	test -f $$dest/config.h && test -f $$dest/dynlibmod/dynlibmod.h; \
	grep -q '^#define WITH_DYNLIBMODULE 1' $$dest/config.h
endif
EOF

# --- local version -------------------------------------------------------------------------
suite=$(dpkg-parsechangelog -S Distribution)
DEBEMAIL="typoguard@localhost" DEBFULLNAME="typoguard build" \
  dch --local +typoguard --distribution "$suite" --force-distribution \
  "Rebuilt with the dynlib module (--with-dynlibmodule) for typoguard; adds unbound-module-dev."
version=$(dpkg-parsechangelog -S Version)

# --- build ---------------------------------------------------------------------------------
# nocheck: upstream's test suite takes long and tests nothing typoguard changes; the daemon is
# tested by typoguard's own e2e suite. parallel: both cores.
export DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)"
dpkg-buildpackage -b -uc -us >../build.log 2>&1 || {
  tail -n 40 ../build.log >&2
  die "dpkg-buildpackage of unbound $version failed (log in the build root: $work/build.log)"
}
cd ..
cp -p -- *.deb *.changes *.buildinfo "$outdir"/
cp -p -- build.log "$outdir/unbound-build.log"
printf '%s\n' "$version"
