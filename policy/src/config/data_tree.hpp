// SPDX-License-Identifier: BSD-3-Clause
// Reading a validated libyang data tree and its compiled schema: the values, children and
// paths of nodes, data-path strings, and enumeration names. None of these owns a node; every
// pointer stays valid as long as the tree (or the context, for schema nodes) it came from.
// They never throw other than std::bad_alloc; a null node reads as absent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libyang/libyang.h>

namespace tg {
class SourceText;
}

namespace tg::config {

/// The canonical value of a term node; empty for null or a non-term node.
[[nodiscard]] std::string value_of(const lyd_node* node);

/// The unsigned value of a validated integer leaf; nullopt when absent or unparsable.
[[nodiscard]] std::optional<std::uint64_t> number_of(const lyd_node* node);

/// True when `node` is a data node of the schema node called `name`.
[[nodiscard]] bool named(const lyd_node* node, std::string_view name) noexcept;

/// The first child of `parent` called `name`, or null.
[[nodiscard]] const lyd_node* child(const lyd_node* parent, std::string_view name) noexcept;

/// Every child of `parent` called `name`, in the tree's order.
[[nodiscard]] std::vector<const lyd_node*> children(const lyd_node* parent, std::string_view name);

/// The children of `parent` called `name` in file order: libyang 3 keeps ordered-by system
/// lists and leaf-lists sorted (defaults too), libyang 2 keeps them as written. Default
/// leaf-list values (only present when none is written) come in the YANG module's order.
[[nodiscard]] std::vector<const lyd_node*> children_in_file_order(const lyd_node* parent,
                                                                  std::string_view name,
                                                                  const SourceText& source);

/// The data path of `node` ("/typoguard:policy/protected-domain[name='x']/name").
[[nodiscard]] std::string path_of(const lyd_node* node);

/// True when `node` was written in the file, false for a YANG default libyang added (and
/// for null).
[[nodiscard]] bool is_explicit(const lyd_node* node) noexcept;

/// The data nodes matching a schema-like path ("/typoguard:policy/allow-list").
[[nodiscard]] std::vector<const lyd_node*> find_all(const lyd_node* tree, const std::string& xpath);

/// The number a `query-type` leaf-list value stands for (an RR type name's value, or the
/// number itself); 0 for a node of another type.
[[nodiscard]] std::uint16_t query_type_number(const lyd_node* node) noexcept;

/// "/typoguard:policy/protected-domain[name='x']/name" without predicates.
[[nodiscard]] std::string strip_predicates(std::string_view path);

/// The path without its last step; empty for a path of one step.
[[nodiscard]] std::string parent_path(std::string_view path);

/// The node name of the path's last step, without module prefix or predicates.
[[nodiscard]] std::string last_step_name(std::string_view path);

/// The type of a leaf or leaf-list schema node; null for any other node.
[[nodiscard]] const lysc_type* type_of(const lysc_node* snode) noexcept;

/// Items of a libyang sized array (the count is stored just before the first item).
template <typename T>
[[nodiscard]] std::size_t sized_array_count(const T* array) noexcept {
  if (array == nullptr) return 0;
  const auto* count = reinterpret_cast<const LY_ARRAY_COUNT_TYPE*>(array) - 1;
  return static_cast<std::size_t>(*count);
}

/// The names of an enumeration type, in the module's order; empty for another type.
[[nodiscard]] std::vector<std::string> enum_names(const lysc_type* type);

/// The names of the schema children of `parent` (of `module`'s top level when null).
[[nodiscard]] std::vector<std::string> child_names(const lysc_node* parent,
                                                   const lys_module* module);

/// Appends to `out` the schema paths (without prefixes, below `prefix`) of every data node
/// called `name` under `parent` (under `module`'s top level when null).
void find_schema_nodes(const lysc_node* parent, const lys_module* module, std::string_view name,
                       const std::string& prefix, std::vector<std::string>& out);

}  // namespace tg::config
