"""graphql-core's execution with a shorter path for plain attributes.

Most fields of a list's items are strawberry "basic" fields: no resolver, no field extension —
the value is the source object's attribute. graphql-core still builds a resolve-info object,
calls strawberry's wrapper, checks for an awaitable and walks ``complete_value`` for each of
them (≈4 µs a field; 300-400 fields in a page of 50 calls). For such a field whose type is a
scalar, an enum or an object type without ``is_type_of`` (possibly non-null), this context reads
the attribute and coerces it (or executes the object's sub-selection) directly. Everything else —
lists, abstract types, arguments, resolvers, a null for a non-null field, any error — goes the
ordinary way (``super().execute_field``), so errors and their paths are graphql-core's own.
The answer is the same bytes; tests/api/test_execution.py checks both paths agree.
"""

from __future__ import annotations

from typing import Any

from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)

_BACKREF = "strawberry-definition"
_UNSEEN: Any = object()


class _Plan:
    __slots__ = ("attr", "field", "leaf", "non_null", "object_type", "return_type")

    def __init__(self, field: Any, attr: str, return_type: Any) -> None:
        self.field, self.attr, self.return_type = field, attr, return_type
        inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        self.non_null = isinstance(return_type, GraphQLNonNull)
        self.leaf = inner if isinstance(inner, GraphQLScalarType | GraphQLEnumType) else None
        self.object_type = inner if isinstance(inner, GraphQLObjectType) else None


_plans: dict[tuple[int, str, str], _Plan | None] = {}
_by_type: dict[tuple[int, str], dict[str, _Plan | None]] = {}


def _plan_for(schema: Any, parent_type: GraphQLObjectType, name: str) -> _Plan | None:
    key = (id(schema), parent_type.name, name)
    if key in _plans:
        return _plans[key]
    plan = None
    field = schema.get_field(parent_type, name)
    definition = (field.extensions or {}).get(_BACKREF) if field is not None else None
    resolve = getattr(field, "resolve", None)
    if (
        field is not None
        and not field.args
        and getattr(resolve, "_is_default", False)
        and definition is not None
        and definition.is_basic_field
        and definition.default_resolver is getattr
    ):
        candidate = _Plan(field, definition.python_name, field.type)
        object_type = candidate.object_type
        if candidate.leaf is not None or (object_type is not None and not object_type.is_type_of):
            plan = candidate
    _plans[key] = plan
    return plan


def _type_plans(schema: Any, parent_type: GraphQLObjectType) -> dict[str, _Plan | None]:
    """Every field's plan of one object type (filled as fields are met)."""
    key = (id(schema), parent_type.name)
    found = _by_type.get(key)
    if found is None:
        found = _by_type[key] = {}
    return found


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._plain = manager is None or not manager._middleware_resolvers

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields``, with a plain scalar or enum attribute read and
        coerced in the loop itself (no Path, no call): the bulk of a list's fields. Anything
        else — or anything unusual about such a field — goes through ``execute_field``."""
        if not self._plain:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = _type_plans(self.schema, parent_type)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                name = node.name.value
                plan = plans.get(name, _UNSEEN)
                if plan is _UNSEEN:
                    plan = plans[name] = _plan_for(self.schema, parent_type, name)
                if plan is not None and plan.leaf is not None and not node.arguments:
                    try:
                        value = getattr(source_value, plan.attr)
                    except Exception:  # execute_field reports it
                        value = _UNSEEN
                    if value is None and not plan.non_null:
                        results[response_name] = None
                        continue
                    if value is not None and value is not _UNSEEN:
                        if is_awaitable(value):  # already made: complete it, never ask twice
                            result = self._complete_awaitable(
                                plan, parent_type, field_details_list,
                                Path(path, response_name, parent_type.name), value,
                                position_context,
                            )  # fmt: skip
                            results[response_name] = result
                            awaitable_fields.append(response_name)
                            continue
                        try:
                            coerced = plan.leaf.coerce_output_value(value)
                        except Exception:
                            coerced = None
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        plan = _plan_for(self.schema, parent_type, node.name.value) if self._plain else None
        if plan is None or node.arguments:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        try:
            value = getattr(source, plan.attr)
        except Exception:  # the ordinary path reports it
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        if value is None:
            if plan.non_null:  # the ordinary path raises graphql-core's own error
                return super().execute_field(
                    parent_type, source, field_details_list, path, position_context
                )
            return None
        if self.is_awaitable(value):  # a nested object the list did not fetch: load it
            return self._complete_awaitable(
                plan, parent_type, field_details_list, path, value, position_context
            )
        if plan.leaf is not None:
            try:
                coerced = plan.leaf.coerce_output_value(value)
            except Exception:
                coerced = Undefined
            if coerced is Undefined or coerced is None:
                return super().execute_field(
                    parent_type, source, field_details_list, path, position_context
                )
            return coerced
        return self._complete_object(plan, field_details_list, path, value, position_context)

    def _complete_awaitable(
        self,
        plan: _Plan,
        parent_type: GraphQLObjectType,
        field_details_list: Any,
        path: Any,
        value: Any,
        position_context: Any,
    ) -> Any:
        info = self.build_resolve_info(
            plan.field, [d.node for d in field_details_list], parent_type, path
        )
        return self.complete_awaitable_value(
            plan.return_type, field_details_list, info, path, value, position_context
        )

    def _complete_object(
        self, plan: _Plan, field_details_list: Any, path: Any, value: Any, position_context: Any
    ) -> Any:
        """``complete_object_value`` without an info object (no ``is_type_of`` to call), with
        the error handling ``execute_field`` gives a completed value."""
        assert plan.object_type is not None
        try:
            completed = self.collect_and_execute_subfields(
                plan.object_type, field_details_list, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.return_type, field_details_list, path)
            return None
        if not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self.handle_field_error(raw_error, plan.return_type, field_details_list, path)
                return None

        return await_completed()
