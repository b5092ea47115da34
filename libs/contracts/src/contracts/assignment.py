"""How FORM tasks are handed to task workers: the rule a company sets, or a task definition
carries, and the structured reason every assignment records.

A rule is one of four strategies. Two choose among every available task worker of the company
(shortest queue, round robin); two first narrow the pool (a named group of workers, or the
holders of a company role) and then choose inside it by `pick`. Groups are named by their
stable `key`, never by a database id, so a bundle that names one imports unchanged into
another company.
"""

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

GROUP_KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"


class AssignmentStrategy(StrEnum):
    SHORTEST_QUEUE = "shortest_queue"
    ROUND_ROBIN = "round_robin"
    GROUP = "group"
    COMPANY_ROLE = "company_role"


class Pick(StrEnum):
    """How a narrowed pool (a group, a company role) chooses among its members."""

    SHORTEST_QUEUE = "shortest_queue"
    ROUND_ROBIN = "round_robin"


class _Rule(BaseModel):
    # A misspelt `compnay_role` is refused rather than silently dropped.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShortestQueueRule(_Rule):
    """The available worker with the fewest open tasks; ties to the least recently assigned."""

    strategy: Literal[AssignmentStrategy.SHORTEST_QUEUE]


class RoundRobinRule(_Rule):
    """Each available worker in turn: the least recently assigned, whatever their load."""

    strategy: Literal[AssignmentStrategy.ROUND_ROBIN]


class GroupRule(_Rule):
    """Only the members of a named group of workers."""

    strategy: Literal[AssignmentStrategy.GROUP]
    group: str = Field(min_length=1, max_length=100, pattern=GROUP_KEY_PATTERN, description="the group's key")
    pick: Pick = Pick.SHORTEST_QUEUE


class CompanyRoleRule(_Rule):
    """Only the workers who hold a company role."""

    strategy: Literal[AssignmentStrategy.COMPANY_ROLE]
    company_role: str = Field(min_length=1, max_length=100)
    pick: Pick = Pick.SHORTEST_QUEUE


AssignmentRule = Annotated[
    ShortestQueueRule | RoundRobinRule | GroupRule | CompanyRoleRule, Field(discriminator="strategy")
]

RULE_ADAPTER: TypeAdapter[AssignmentRule] = TypeAdapter(AssignmentRule)
DEFAULT_RULE: AssignmentRule = ShortestQueueRule(strategy=AssignmentStrategy.SHORTEST_QUEUE)


def rule_of(document: Any) -> AssignmentRule:
    """A stored rule (JSON) as its model; raises pydantic's ValidationError when malformed."""
    return RULE_ADAPTER.validate_python(document)


class RuleSource(StrEnum):
    """Where the rule an assignment followed was set, most specific first."""

    TASK_RULE = "task_rule"  # an admin's rule for this task definition
    TASK_DEFINITION = "task_definition"  # the `assignment` of the task in its workflow bundle
    COMPANY = "company"  # the company's rule
    DEFAULT = "default"  # nothing set: shortest queue


class MadeBy(StrEnum):
    STRATEGY = "strategy"
    PERSON = "person"
