"""Access tokens that a role change or a deactivation made stale.

Identity stamps a user's `tokens_valid_after` when they lose a role or are deactivated, and
every user event on `identity.events` carries it. The gateway reads that topic itself, from
every partition and without a consumer group (each replica needs all of it), and refuses a
token whose `iat` is before the stamp. So a change bites within the relay's and this reader's
delay (seconds), with no call to identity on the request path.

Only stamps younger than `window_seconds` matter: an older one cannot refuse a token that is
still unexpired. So at start the reader begins at the events of that window, and forgets
stamps once they are older than it.
"""

import asyncio
import contextlib
import logging
import math
import time
from datetime import datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from contracts.envelope import Envelope
from contracts.identity import CompanyStatusChanged, UserState
from contracts.topics import IDENTITY_EVENTS

log = logging.getLogger(__name__)


class TokenCutoffs:
    """User id, or company id (a suspension ends every session of the company) → the first
    second (`iat`) of the access tokens still honoured."""

    def __init__(self, window_seconds: float) -> None:
        self.window_seconds = window_seconds
        self._cutoffs: dict[str, int] = {}
        self._pruned_at = time.time()

    def learn(self, user_id: str, valid_after: datetime) -> None:
        self._learn(f"user:{user_id}", valid_after)

    def learn_company(self, company_id: str, valid_after: datetime) -> None:
        self._learn(f"company:{company_id}", valid_after)

    def _learn(self, key: str, valid_after: datetime) -> None:
        # `iat` is in whole seconds: a token of the same second may predate the change, so the
        # cut is the next whole second (identity dates later tokens at it or after).
        cutoff = math.ceil(valid_after.timestamp())
        if cutoff > self._cutoffs.get(key, 0):
            self._cutoffs[key] = cutoff
        self._prune()

    def refuses(self, user_id: str, issued_at: float, company_id: str | None = None) -> bool:
        keys = [f"user:{user_id}"] + ([f"company:{company_id}"] if company_id else [])
        return any(issued_at < self._cutoffs.get(key, 0) for key in keys)

    def _prune(self) -> None:
        now = time.time()
        if now - self._pruned_at < 60:
            return
        self._pruned_at = now
        oldest = now - self.window_seconds
        self._cutoffs = {user: cutoff for user, cutoff in self._cutoffs.items() if cutoff >= oldest}


class RevocationFeed:
    """Keeps `cutoffs` up to date from `identity.events`. `caught_up` turns true once the
    events that were on the topic when it started have been read."""

    def __init__(self, bootstrap_servers: str, cutoffs: TokenCutoffs, *, retry_seconds: float = 1.0) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.cutoffs = cutoffs
        self.retry_seconds = retry_seconds
        self.caught_up = False

    async def run(self) -> None:
        """Read until cancelled; reconnect after any broker trouble."""
        while True:
            try:
                await self._read()
            except asyncio.CancelledError:
                raise
            except (KafkaError, OSError) as exc:
                log.warning("reading %s for token revocations failed, retrying: %r", IDENTITY_EVENTS, exc)
            await asyncio.sleep(self.retry_seconds)

    async def _read(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers.split(","),
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id="gateway-revocations",
            fetch_max_wait_ms=200,
        )
        await consumer.start()
        try:
            partitions = await self._partitions(consumer)
            consumer.assign(partitions)
            await self._seek_to_window(consumer, partitions)
            ends = await consumer.end_offsets(partitions)
            while True:
                batches = await consumer.getmany(*partitions, timeout_ms=1000, max_records=500)
                for records in batches.values():
                    for record in records:
                        self._apply(record.value)
                if not self.caught_up:
                    positions = {tp: await consumer.position(tp) for tp in partitions}
                    if all(positions[tp] >= ends[tp] for tp in partitions):
                        self.caught_up = True
                        log.info("token revocations caught up with %s", IDENTITY_EVENTS)
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        """The topic's partitions, once identity has created it. Asked of the cluster through
        the admin API: a consumer that has not subscribed keeps no metadata of the topic, and
        Apache Kafka (unlike the embedded broker) sends none unasked."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers.split(","))
        await admin.start()
        try:
            while True:
                described = await admin.describe_topics([IDENTITY_EVENTS])
                numbers = [
                    int(partition["partition"])
                    for topic in described
                    if topic.get("topic") == IDENTITY_EVENTS and not topic.get("error_code")
                    for partition in topic.get("partitions", [])
                ]
                if numbers:
                    return [TopicPartition(IDENTITY_EVENTS, n) for n in sorted(numbers)]
                await asyncio.sleep(self.retry_seconds)
        finally:
            await admin.close()

    async def _seek_to_window(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        since_ms = int((time.time() - self.cutoffs.window_seconds) * 1000)
        try:
            offsets = await consumer.offsets_for_times(dict.fromkeys(partitions, since_ms))
        except KafkaError as exc:
            # A broker that cannot look offsets up by time: read the whole topic instead.
            log.info("offsets by time unavailable (%r): reading %s from its start", exc, IDENTITY_EVENTS)
            await consumer.seek_to_beginning(*partitions)
            return
        for tp in partitions:
            found = offsets.get(tp)
            if found is None:
                await consumer.seek_to_end(tp)
            else:
                consumer.seek(tp, found.offset)

    def _apply(self, value: bytes | None) -> None:
        if value is None:
            return
        try:
            envelope = Envelope.model_validate_json(value)
            if envelope.type in ("company.suspended", "company.reactivated"):
                company = CompanyStatusChanged.model_validate(envelope.data)
                if company.tokens_valid_after is not None:
                    self.cutoffs.learn_company(str(company.company_id), company.tokens_valid_after)
                return
            if not envelope.type.startswith("user."):
                return
            state = UserState.model_validate(envelope.data)
        except ValidationError:
            log.debug("ignoring an event on %s that is not a user event", IDENTITY_EVENTS)
            return
        if state.tokens_valid_after is not None:
            self.cutoffs.learn(str(state.user_id), state.tokens_valid_after)
