"""What a list query selected, so a list resolver fetches a page and exactly the nested objects
asked for, each kind in one statement, before graphql-core walks the result.

A selection is read as a tree of field names (aliases and fragments merged; ``@skip`` and
``@include`` are not evaluated, so a skipped field is fetched anyway — never the reverse). Trees
are remembered per field node: the parse cache hands the same document for the same text.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from strawberry.types import Info

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

Tree = dict[str, "Tree"]
_SIZE = 1024
_trees: OrderedDict[int, tuple[Any, Tree]] = OrderedDict()


def _collect(selection_set: SelectionSetNode | None, fragments: dict, out: Tree) -> None:
    if selection_set is None:
        return
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            _collect(node.selection_set, fragments, out.setdefault(node.name.value, {}))
        elif isinstance(node, InlineFragmentNode):
            _collect(node.selection_set, fragments, out)
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                _collect(fragment.selection_set, fragments, out)


def tree(info: Info) -> Tree:
    """The field's selection as a tree of field names."""
    raw = info._raw_info
    nodes = raw.field_nodes
    key = id(nodes[0])
    hit = _trees.get(key)
    if hit is not None and hit[0] is nodes[0]:
        return hit[1]
    found: Tree = {}
    for node in nodes:
        _collect(node.selection_set, raw.fragments, found)
    _trees[key] = (nodes[0], found)  # holds the node: its id is not reused while here
    if len(_trees) > _SIZE:
        _trees.popitem(last=False)
    return found


def merged(*trees: Tree) -> Tree:
    out: Tree = {}
    for t in trees:
        for name, sub in t.items():
            out[name] = merged(out.get(name, {}), sub) if name in out else sub
    return out


def connection_nodes(info: Info) -> tuple[Tree, bool]:
    """For a Connection field: the selection of its items (``nodes`` and ``edges.node``) and
    whether edges (with their cursors) were asked for."""
    selected = tree(info)
    edges = selected.get("edges")
    if edges is None:
        return selected.get("nodes", {}), False
    return merged(selected.get("nodes", {}), edges.get("node", {})), True
