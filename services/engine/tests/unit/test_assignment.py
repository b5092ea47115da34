"""Choosing the assignee of a FORM task, and the sentence that says why."""

from datetime import UTC, datetime, timedelta

from contracts.assignment import (
    AssignmentStrategy,
    CompanyRoleRule,
    GroupRule,
    Pick,
    RoundRobinRule,
    RuleSource,
)
from contracts.ids import uuid7
from engine.workers.assignment import (
    Candidate,
    ResolvedRule,
    choose_assignee,
    describe_rule,
    explain,
    manual_reason,
    waiting_reason,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ROUND_ROBIN = ResolvedRule(RoundRobinRule(strategy=AssignmentStrategy.ROUND_ROBIN), RuleSource.COMPANY)


def c(name: str, open_tasks: int, minutes_ago: int | None) -> Candidate:
    last = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    return Candidate(uuid7(), name, open_tasks, last)


class TestShortestQueue:
    def test_fewest_open_tasks_wins(self) -> None:
        ann, bob = c("Ann", 3, 1), c("Bob", 1, 0)
        choice = choose_assignee([ann, bob])
        assert choice is not None
        assert choice.user_id == bob.user_id
        assert choice.reason["tie_break"] is None
        assert choice.reason["source"] == "default"
        assert {x["name"]: x["open_tasks"] for x in choice.reason["compared"]} == {"Ann": 3, "Bob": 1}
        assert explain(choice.reason) == "fewest open tasks (1)"

    def test_tie_goes_to_least_recently_assigned(self) -> None:
        ann, bob, cid = c("Ann", 2, 5), c("Bob", 2, 30), c("Cid", 4, 90)
        choice = choose_assignee([ann, bob, cid])
        assert choice is not None
        assert choice.user_id == bob.user_id
        assert (choice.reason["tied"], choice.reason["tie_break"]) == (2, "least_recently_assigned")
        assert explain(choice.reason) == "fewest open tasks (2), ties broken by least recently assigned"
        assert choice.reason["explanation"] == explain(choice.reason)

    def test_never_assigned_counts_as_least_recent(self) -> None:
        ann, bob = c("Ann", 0, 1), c("Bob", 0, None)
        choice = choose_assignee([ann, bob])
        assert choice is not None
        assert choice.user_id == bob.user_id

    def test_nobody_available_gives_none(self) -> None:
        assert choose_assignee([]) is None


class TestRoundRobin:
    def test_least_recently_assigned_wins_whatever_the_load(self) -> None:
        ann, bob = c("Ann", 0, 1), c("Bob", 9, 60)
        choice = choose_assignee([ann, bob], ROUND_ROBIN)
        assert choice is not None
        assert choice.user_id == bob.user_id
        assert (choice.reason["strategy"], choice.reason["pick"]) == ("round_robin", "round_robin")
        assert explain(choice.reason) == "next in turn (round robin), least recently assigned"

    def test_turns_follow_the_last_assignment_times(self) -> None:
        workers = [c("Ann", 0, 3), c("Bob", 0, 2), c("Cid", 0, 1)]
        order = []
        for minute in range(6):
            choice = choose_assignee(workers, ROUND_ROBIN)
            assert choice is not None
            order.append(next(w.name for w in workers if w.user_id == choice.user_id))
            workers = [
                Candidate(w.user_id, w.name, w.open_tasks, NOW + timedelta(minutes=minute))
                if w.user_id == choice.user_id
                else w
                for w in workers
            ]
        assert order == ["Ann", "Bob", "Cid", "Ann", "Bob", "Cid"]


class TestNarrowedPools:
    def test_a_group_rule_names_the_group_and_picks_inside_it(self) -> None:
        rule = GroupRule(strategy=AssignmentStrategy.GROUP, group="finance")
        choice = choose_assignee(
            [c("Ann", 2, 5), c("Bob", 1, 1)], ResolvedRule(rule, RuleSource.TASK_RULE, "Finance")
        )
        assert choice is not None
        assert (choice.reason["group"], choice.reason["group_name"]) == ("finance", "Finance")
        assert explain(choice.reason) == "in group Finance: fewest open tasks (1)"

    def test_a_company_role_rule_with_round_robin(self) -> None:
        rule = CompanyRoleRule(
            strategy=AssignmentStrategy.COMPANY_ROLE, company_role="hr", pick=Pick.ROUND_ROBIN
        )
        resolved = ResolvedRule(rule, RuleSource.TASK_DEFINITION)
        choice = choose_assignee([c("Ann", 0, 1), c("Bob", 5, 10)], resolved)
        assert choice is not None
        assert choice.reason["chosen_name"] == "Bob"
        assert (
            explain(choice.reason)
            == "has company role hr: next in turn (round robin), least recently assigned"
        )
        assert describe_rule(resolved) == "company role hr, then round robin"

    def test_why_a_task_waits(self) -> None:
        group = GroupRule(strategy=AssignmentStrategy.GROUP, group="finance")
        assert waiting_reason(ResolvedRule(group, RuleSource.COMPANY, "Finance")) == (
            "Nobody in group Finance is available; the task waits in the queue"
        )
        assert waiting_reason(ResolvedRule(group, RuleSource.COMPANY)) == (
            "No group 'finance' exists; the task waits in the queue"
        )


class TestExplain:
    def test_by_hand_names_the_person_and_their_note(self) -> None:
        reason = manual_reason(
            chosen=uuid7(),
            chosen_name="Otto",
            open_tasks=3,
            by=str(uuid7()),
            by_name="Ada Admin",
            previous=None,
            previous_name=None,
            note="knows the customer",
        )
        assert explain(reason) == "assigned by hand by Ada Admin: knows the customer"
        assert reason["made_by"] == "person"

    def test_a_reason_recorded_before_it_was_structured_keeps_its_sentence(self) -> None:
        old = {
            "strategy": "shortest_queue",
            "explanation": "shortest queue: Ann had the fewest open tasks (0)",
        }
        assert explain(old) == "shortest queue: Ann had the fewest open tasks (0)"
        assert explain(None) is None
