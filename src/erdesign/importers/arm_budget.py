"""Budgets for evaluating ARM template expressions.

A template is input anyone can write, and its expressions can grow values
without bound (variables that double each other, format widths, big integers,
nested copy loops). Every evaluation runs under one :class:`EvalBudget`; a
budget exceeded is an input error at the expression that exceeded it. The
numbers are implementation guards sized far above any real template, not
Azure limits.
"""
from __future__ import annotations

MAX_STRING_LENGTH = 1_000_000  # characters in one string value
MAX_ARRAY_LENGTH = 100_000  # items in one array (or members of one object)
MAX_VALUE_NODES = 200_000  # values inside one value, shared parts counted as often as they appear
MAX_INTEGER = 2 ** 63 - 1  # ARM integers are 64-bit
MAX_STEPS = 2_000_000  # evaluation steps (expression nodes and value items looked at) per template
MAX_EXPRESSION_DEPTH = 64  # nesting of calls, properties and indexes in one expression
MAX_EVALUATION_DEPTH = 100  # the same across variables that refer to variables
MAX_VALUE_DEPTH = 100  # nesting of arrays and objects in one value (json(), createArray(), ...)
MAX_COPY_PRODUCT = 100_000  # product of the counts of nested copy loops
MAX_FORMAT_WIDTH = 10_000  # format() width and precision ({0,N} {0:DN} {0:NN})
MAX_UNION_ITEMS = 10_000  # items union() compares (its cost grows with the square)


class BudgetExceeded(Exception):
    """An evaluation budget was exceeded; the evaluator locates it at the expression."""


def over_budget(error):
    """Mark a located error as an exceeded budget: it stops the import (exit 2) even when other
    resources could be imported, since the template is not one erdesign will evaluate."""
    error.over_budget = True
    return error


def is_over_budget(error) -> bool:
    return bool(getattr(error, "over_budget", False))


class EvalBudget:
    """The running totals of one template's evaluation."""

    def __init__(self):
        self.steps = 0
        self.depth = 0
        self.copy_product = 1
        self.exhausted = False  # the steps or a copy product ran out: loops over resources stop

    def _out(self, message: str) -> BudgetExceeded:
        self.exhausted = True
        return BudgetExceeded(message)

    def enter(self) -> None:
        """One more expression node evaluated (and one level deeper)."""
        self.steps += 1
        self.depth += 1
        if self.steps > MAX_STEPS:
            raise self._out(f"the template takes more than {MAX_STEPS:,} evaluation steps")
        if self.depth > MAX_EVALUATION_DEPTH:
            raise BudgetExceeded(f"expressions nest more than {MAX_EVALUATION_DEPTH} deep "
                                 "(counting variables that refer to variables)")

    def leave(self) -> None:
        self.depth -= 1

    def enter_copy(self, count: int, name: str) -> None:
        product = self.copy_product * max(count, 1)
        if product > MAX_COPY_PRODUCT:
            raise self._out(f"copy loop '{name}' of {count} inside other copy loops makes "
                                 f"{product:,} copies; at most {MAX_COPY_PRODUCT:,}")
        self.copy_product = product

    def leave_copy(self, count: int) -> None:
        self.copy_product //= max(count, 1)

    def check_value(self, value) -> None:
        """Refuse a value beyond the size budgets (walked at most once up to the node budget)."""
        nodes = 0
        stack = [(value, 1)]
        while stack:
            item, depth = stack.pop()
            nodes += 1
            if nodes > MAX_VALUE_NODES:
                raise BudgetExceeded(f"the value grows beyond {MAX_VALUE_NODES:,} items")
            if isinstance(item, str):
                if len(item) > MAX_STRING_LENGTH:
                    raise BudgetExceeded(f"a string grows beyond {MAX_STRING_LENGTH:,} characters")
            elif isinstance(item, bool):
                continue
            elif isinstance(item, int):
                if not -MAX_INTEGER - 1 <= item <= MAX_INTEGER:
                    raise BudgetExceeded("an integer goes beyond 64 bits")
            elif isinstance(item, (list, dict)):
                if len(item) > MAX_ARRAY_LENGTH:
                    raise BudgetExceeded(f"an {'array' if isinstance(item, list) else 'object'} grows beyond "
                                         f"{MAX_ARRAY_LENGTH:,} items")
                if depth > MAX_VALUE_DEPTH:
                    raise BudgetExceeded(f"the value nests more than {MAX_VALUE_DEPTH} arrays or objects deep")
                stack.extend((child, depth + 1) for child in (item if isinstance(item, list) else item.values()))
        self.steps += nodes
        if self.steps > MAX_STEPS:
            raise self._out(f"the template takes more than {MAX_STEPS:,} evaluation steps")


def check_format_number(number: int, what: str) -> int:
    if abs(number) > MAX_FORMAT_WIDTH:
        raise BudgetExceeded(f"format {what} {number} is more than {MAX_FORMAT_WIDTH:,}")
    return number


def check_replace(text: str, old: str, new: str) -> None:
    """replace() would not grow the string beyond the budget."""
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        grown = len(text) + text.count(old) * (len(new) - len(old)) if old else len(text) + (len(text) + 1) * len(new)
        if grown > MAX_STRING_LENGTH:
            raise BudgetExceeded(f"the result would be {grown:,} characters, more than {MAX_STRING_LENGTH:,}")


def check_union(values) -> None:
    total = sum(len(v) for v in values if isinstance(v, list))
    if total > MAX_UNION_ITEMS:
        raise BudgetExceeded(f"union() of {total:,} items; at most {MAX_UNION_ITEMS:,}")


def check_index(index, count: int, what: str) -> None:
    """An index into `count` things (cidrSubnet's subnets, cidrHost's hosts) is in range, checked
    before anything is enumerated."""
    if isinstance(index, bool) or not isinstance(index, int):
        raise BudgetExceeded(f"the {what} index must be a whole number")
    if not 0 <= index < count:
        raise BudgetExceeded(f"{what} index {index} is out of range (0 to {count - 1})")
