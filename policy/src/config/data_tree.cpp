// SPDX-License-Identifier: BSD-3-Clause
#include "config/data_tree.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <system_error>
#include <utility>

#include <libyang/version.h>

#include "config/source_text.hpp"
#include "config/yang_context.hpp"

namespace tg::config {

std::string value_of(const lyd_node* node) {
  const char* v = lyd_get_value(node);
  return v == nullptr ? std::string() : std::string(v);
}

std::optional<std::uint64_t> number_of(const lyd_node* node) {
  if (node == nullptr) return std::nullopt;
  const std::string v = value_of(node);
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return out;
}

bool named(const lyd_node* node, std::string_view name) noexcept {
  return node != nullptr && node->schema != nullptr && name == node->schema->name;
}

const lyd_node* child(const lyd_node* parent, std::string_view name) noexcept {
  for (const lyd_node* c = lyd_child(parent); c != nullptr; c = c->next) {
    if (named(c, name)) return c;
  }
  return nullptr;
}

std::vector<const lyd_node*> children(const lyd_node* parent, std::string_view name) {
  std::vector<const lyd_node*> out;
  for (const lyd_node* c = lyd_child(parent); c != nullptr; c = c->next) {
    if (named(c, name)) out.push_back(c);
  }
  return out;
}

std::string path_of(const lyd_node* node) {
  const CString p(lyd_path(node, LYD_PATH_STD, nullptr, 0));
  return p ? std::string(p.get()) : std::string();
}

bool is_explicit(const lyd_node* node) noexcept {
  return node != nullptr && (node->flags & LYD_DEFAULT) == 0;
}

std::vector<const lyd_node*> find_all(const lyd_node* tree, const std::string& xpath) {
  std::vector<const lyd_node*> out;
  if (tree == nullptr) return out;
  ly_set* raw = nullptr;
  if (lyd_find_xpath(tree, xpath.c_str(), &raw) != LY_SUCCESS) return out;
  const SetPtr set(raw);
  for (std::uint32_t i = 0; i < set->count; ++i) out.push_back(set->dnodes[i]);
  return out;
}

std::string strip_predicates(std::string_view path) {
  std::string out;
  char quote = 0;
  int depth = 0;
  for (const char c : path) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (depth > 0) {
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[') {
        ++depth;
      } else if (c == ']') {
        --depth;
      }
      continue;
    }
    if (c == '[') {
      depth = 1;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string parent_path(std::string_view path) {
  const std::string plain(path);
  const std::size_t slash = plain.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string() : plain.substr(0, slash);
}

std::string last_step_name(std::string_view path) {
  const std::vector<PathStep> steps = split_data_path(path);
  return steps.empty() ? std::string() : steps.back().name;
}

const lysc_type* type_of(const lysc_node* snode) noexcept {
  if (snode == nullptr) return nullptr;
  if (snode->nodetype == LYS_LEAF) return reinterpret_cast<const lysc_node_leaf*>(snode)->type;
  if (snode->nodetype == LYS_LEAFLIST) {
    return reinterpret_cast<const lysc_node_leaflist*>(snode)->type;
  }
  return nullptr;
}

std::vector<std::string> enum_names(const lysc_type* type) {
  std::vector<std::string> out;
  if (type == nullptr || type->basetype != LY_TYPE_ENUM) return out;
  const auto* e = reinterpret_cast<const lysc_type_enum*>(type);
  for (std::size_t i = 0; i < sized_array_count(e->enums); ++i) out.emplace_back(e->enums[i].name);
  return out;
}

std::vector<std::string> child_names(const lysc_node* parent, const lys_module* module) {
  std::vector<std::string> out;
  const lysc_module* compiled = parent == nullptr && module != nullptr ? module->compiled : nullptr;
  for (const lysc_node* c = lys_getnext(nullptr, parent, compiled, 0); c != nullptr;
       c = lys_getnext(c, parent, compiled, 0)) {
    out.emplace_back(c->name);
  }
  return out;
}

void find_schema_nodes(const lysc_node* parent, const lys_module* module, std::string_view name,
                       const std::string& prefix, std::vector<std::string>& out) {
  const lysc_module* compiled = parent == nullptr && module != nullptr ? module->compiled : nullptr;
  for (const lysc_node* c = lys_getnext(nullptr, parent, compiled, 0); c != nullptr;
       c = lys_getnext(c, parent, compiled, 0)) {
    const std::string here = prefix.empty() ? std::string(c->name) : prefix + "/" + c->name;
    if (name == c->name) out.push_back(here);
    if ((c->nodetype & (LYS_CONTAINER | LYS_LIST)) != 0) {
      find_schema_nodes(c, module, name, here, out);
    }
  }
}

std::uint16_t query_type_number(const lyd_node* node) noexcept {
  const auto* term = reinterpret_cast<const lyd_node_term*>(node);
  const lyd_value* v = &term->value;
  if (v->realtype != nullptr && v->realtype->basetype == LY_TYPE_UNION && v->subvalue != nullptr) {
    v = &v->subvalue->value;
  }
  if (v->realtype == nullptr) return 0;
  if (v->realtype->basetype == LY_TYPE_UINT16) return v->uint16;
  if (v->realtype->basetype == LY_TYPE_ENUM && v->enum_item != nullptr) {
    return static_cast<std::uint16_t>(v->enum_item->value);
  }
  return 0;
}

std::vector<const lyd_node*> children_in_file_order(const lyd_node* parent, std::string_view name,
                                                    const SourceText& source) {
  std::vector<const lyd_node*> nodes = children(parent, name);
#if LY_VERSION_MAJOR >= 3
  const auto rank = [&source](const lyd_node* n) {
    if (!is_explicit(n) && n->schema->nodetype == LYS_LEAFLIST) {
      const auto* leaflist = reinterpret_cast<const lysc_node_leaflist*>(n->schema);
      const std::string value = value_of(n);
      for (std::size_t i = 0; i < sized_array_count(leaflist->dflts); ++i) {
        const char* d = lyd_value_get_canonical(LYD_CTX(n), leaflist->dflts[i]);
        if (d != nullptr && value == d) return i;
      }
    }
    return source.position(path_of(n)).value_or(std::numeric_limits<std::size_t>::max());
  };
  std::vector<std::pair<std::size_t, const lyd_node*>> ranked;
  ranked.reserve(nodes.size());
  for (const lyd_node* n : nodes) ranked.emplace_back(rank(n), n);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i] = ranked[i].second;
#else
  static_cast<void>(source);
#endif
  return nodes;
}

}  // namespace tg::config
