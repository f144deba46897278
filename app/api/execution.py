"""graphql-core's execution with shorter paths for plain attributes.

Most fields of a list's items are strawberry "basic" fields: no resolver, no field extension —
the value is the source object's attribute (app/api/*/views.py build such objects). graphql-core
still builds a resolve-info object, calls strawberry's wrapper, checks for an awaitable and walks
``complete_value`` for each (≈4 µs a field; 300-600 fields in a page of 50). This context:

- completes a plain scalar or enum attribute inside its field loop;
- turns an object or list-of-objects field whose whole selection is plain into a straight loop
  (a "program" per field set and request: getattr, coerce, recurse);
- reads a plain object attribute and executes its sub-selection without an info object.

Everything else — resolvers, arguments, abstract types — and anything unusual — a null where none
may be, an awaitable (a nested object the list did not fetch), an error — goes the ordinary way,
so errors and their paths are graphql-core's own (nothing a view's attribute does has side
effects: an awaitable met on the short path is closed unstarted). The answer is the same bytes;
tests/api/test_execution.py checks the paths agree.
"""

from __future__ import annotations

from typing import Any

from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.api.programs import AS_IS, LEAF, LIST, OBJECT, TYPENAME, plain_or_checked, program
from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)

_BACKREF = "strawberry-definition"
_UNSEEN: Any = object()


def _unwrap(of: Any) -> tuple[Any, bool]:
    return (of.of_type, True) if isinstance(of, GraphQLNonNull) else (of, False)


def _plain_object(of: Any) -> GraphQLObjectType | None:
    return of if isinstance(of, GraphQLObjectType) and not of.is_type_of else None


class _Plan:
    __slots__ = ("attr", "field", "item_non_null", "items", "leaf", "non_null", "object_type",
                 "return_type")  # fmt: skip

    def __init__(self, field: Any, attr: str, return_type: Any) -> None:
        self.field, self.attr, self.return_type = field, attr, return_type
        inner, self.non_null = _unwrap(return_type)
        self.leaf = inner if isinstance(inner, GraphQLScalarType | GraphQLEnumType) else None
        self.object_type = _plain_object(inner)
        self.items: GraphQLObjectType | None = None  # a list of plain objects: their type
        self.item_non_null = False
        if isinstance(inner, GraphQLList):
            item, self.item_non_null = _unwrap(inner.of_type)
            self.items = _plain_object(item)


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
        if candidate.leaf or candidate.object_type or candidate.items:
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
        self._programs: dict[tuple[str, int], tuple[Any, Any]] = {}

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
                if plan is not None and plan.leaf is None and not node.arguments:
                    done = self._compiled_field(plan, parent_type, source_value, field_details_list)
                    if done is not _UNSEEN:
                        results[response_name] = done
                        continue
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
        if plan is None or plan.items is not None or node.arguments:
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

    # -- whole sub-trees of plain objects, as straight loops -------------------------------------

    def _compiled_field(
        self, plan: _Plan, parent_type: GraphQLObjectType, source: Any, field_details_list: Any
    ) -> Any:
        """The completed value of an object or list-of-objects field whose whole selection is
        plain (attributes all the way down), or _UNSEEN to take the ordinary path. Anything
        unusual — a null where none may be, an awaitable, an error — abandons the attempt
        (nothing it read has side effects) and the ordinary path answers, errors included."""
        of = plan.items or plan.object_type
        assert of is not None
        run = self._compile(of, field_details_list)
        if run is None:
            return _UNSEEN
        try:
            value = getattr(source, plan.attr)
            if value is None:
                return _UNSEEN if plan.non_null else None
            value = plain_or_checked(value, self.is_awaitable)
            if plan.items is None:
                return run(value)
            out: list[Any] = []
            for item in value:
                if item is None:
                    if plan.item_non_null:
                        return _UNSEEN
                    out.append(None)
                else:
                    out.append(run(plain_or_checked(item, self.is_awaitable)))
            return out
        except Exception:  # Abandon, or an error the ordinary path will report
            return _UNSEEN

    def _compile(self, of: GraphQLObjectType, field_details_list: Any) -> Any:
        """``item -> dict`` completing ``of``'s sub-selection, or None when some field in it is
        not plain. Built once per execution and field set (directives were evaluated with this
        request's variables by graphql-core's own field collection)."""
        key = (of.name, id(field_details_list))
        cache = self._programs
        if key in cache:
            return cache[key][1]
        grouped = self.collect_subfields(of, field_details_list)[0]
        steps: list[tuple] = []
        run: Any = None
        plans = _type_plans(self.schema, of)
        for response_name, details in grouped.items():
            node = details[0].node
            name = node.name.value
            if name == "__typename":
                steps.append((response_name, TYPENAME, of.name, None, False, False))
                continue
            plan = plans.get(name, _UNSEEN)
            if plan is _UNSEEN:
                plan = plans[name] = _plan_for(self.schema, of, name)
            if plan is None or node.arguments:
                break
            if plan.leaf is not None:
                # The last place holds, for a leaf, the type its values pass as they are.
                steps.append((response_name, LEAF, plan.attr, plan.leaf.coerce_output_value,
                              plan.non_null, AS_IS.get(plan.leaf)))  # fmt: skip
                continue
            sub = self._compile(plan.items or plan.object_type, details)
            if sub is None:
                break
            kind = LIST if plan.items is not None else OBJECT
            steps.append((response_name, kind, plan.attr, sub, plan.non_null, plan.item_non_null))
        else:
            run = program(steps, self.is_awaitable)
        cache[key] = (field_details_list, run)  # holds the list: its id is not reused meanwhile
        return run

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
