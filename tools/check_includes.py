#!/usr/bin/env python3
"""Checks that every installed header includes the standard header of each std:: name it uses.

A header that gets `std::size_t` or `std::forward` through another standard header compiles
today and breaks on the next standard library release that trims its transitive includes
(libc++ 15 and later removed many; libstdc++ declares `std::size_t` in every header). The
header-alone compile of tests/headers cannot see that, because the library it runs against
still provides the name. This check reads the names instead.

Every std:: name in the headers must be in NAME_HEADER below, so a new name cannot slip past:
an unknown one fails the check until it is added with the header the standard puts it in.
Usage: tools/check_includes.py [ROOT]   (exit 1 and one line per problem when any)
"""

import pathlib
import re
import sys

# The standard header of each name the library uses ([headers] and the synopses of
# the C++17 standard). A name in several headers (std::size_t, std::swap) maps to the one
# this project includes for it.
NAME_HEADER = {
    "size_t": "cstddef", "ptrdiff_t": "cstddef", "byte": "cstddef", "nullptr_t": "cstddef",
    "uint8_t": "cstdint", "uint16_t": "cstdint", "uint32_t": "cstdint", "uint64_t": "cstdint",
    "int8_t": "cstdint", "int16_t": "cstdint", "int32_t": "cstdint", "int64_t": "cstdint",
    "uintptr_t": "cstdint",
    "memcpy": "cstring", "memcmp": "cstring", "memmove": "cstring", "memchr": "cstring",
    "memset": "cstring", "strlen": "cstring",
    "string_view": "string_view", "basic_string_view": "string_view",
    "string": "string", "basic_string": "string", "char_traits": "string",
    "vector": "vector", "array": "array",
    "optional": "optional", "nullopt": "optional", "nullopt_t": "optional",
    "variant": "variant", "visit": "variant", "get_if": "variant",
    "holds_alternative": "variant", "monostate": "variant",
    "forward": "utility", "move": "utility", "declval": "utility", "swap": "utility",
    "exchange": "utility", "pair": "utility", "in_place": "utility", "in_place_t": "utility",
    "in_place_type": "utility", "in_place_type_t": "utility", "index_sequence": "utility",
    "make_index_sequence": "utility",
    "data": "iterator", "size": "iterator", "begin": "iterator", "end": "iterator",
    "forward_iterator_tag": "iterator", "random_access_iterator_tag": "iterator",
    "input_iterator_tag": "iterator", "iterator_traits": "iterator", "distance": "iterator",
    "allocator": "memory", "allocator_traits": "memory", "unique_ptr": "memory",
    "addressof": "memory",
    "error_category": "system_error", "error_code": "system_error",
    "error_condition": "system_error", "is_error_code_enum": "system_error",
    "is_error_condition_enum": "system_error",
    "numeric_limits": "limits",
    "min": "algorithm", "max": "algorithm", "copy": "algorithm", "fill": "algorithm",
    "find": "algorithm", "sort": "algorithm", "lower_bound": "algorithm",
    "hash": "functional", "launder": "new",
    "unordered_map": "unordered_map", "unordered_multimap": "unordered_map",
    "initializer_list": "initializer_list",
}
TYPE_TRAIT = re.compile(
    r"(is_|remove_|add_|enable_if|conditional|decay|void_t|bool_constant|integral_constant|"
    r"true_type|false_type|underlying_type|common_type|invoke_result|conjunction|disjunction|"
    r"negation)")


def standard_header(name):
    """The header for a std:: name, or None when the table does not know it."""
    if name in NAME_HEADER:
        return NAME_HEADER[name]
    if TYPE_TRAIT.match(name):  # std::is_same_v, std::remove_cv_t, std::enable_if_t, ...
        return "type_traits"
    return None


def code_of(text):
    """The text without comments and string literals, where a std:: name is not a use."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def problems(root):
    headers = sorted((root / "include").rglob("*.hpp"))
    if not headers:
        yield f"no headers under {root / 'include'}"
    for path in headers:
        text = path.read_text()
        included = set(re.findall(r"^\s*#\s*include\s*<([^>]+)>", text, flags=re.M))
        missing = {}
        for name in re.findall(r"\bstd::([A-Za-z_][A-Za-z_0-9]*)", code_of(text)):
            header = standard_header(name)
            rel = path.relative_to(root)
            if header is None:
                yield f"{rel}: std::{name} is not in tools/check_includes.py's table; add it"
            elif header not in included:
                missing.setdefault(header, name)
        for header, name in sorted(missing.items()):
            yield f"{path.relative_to(root)}: uses std::{name} but does not include <{header}>"


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    found = sorted(set(problems(root.resolve())))
    for line in found:
        print(line)
    if not found:
        print("every header includes the standard headers of the names it uses")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
