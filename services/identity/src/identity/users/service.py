"""Users of a company: creation (sign-up and admin), reads, edits, deactivation and roles.

Every change publishes the user's full state (`contracts.identity`), so consumers such as the
engine's roster of task workers keep their own copy.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from common.auth import SystemRole
from common.db import UnitOfWork
from common.errors import Conflict, NotFound, ValidationProblem
from common.web import Page, PageParams
from contracts.identity import UserCreated, UserDeactivated, UserRolesChanged, UserUpdated
from identity.companies.repository import CompaniesRepository
from identity.company_roles.repository import CompanyRoleRepository
from identity.emails import email_key
from identity.models import User
from identity.password_reset import service as password_reset_service
from identity.runtime import IdentityRuntime
from identity.sessions.repository import RefreshTokenRepository
from identity.users.repository import LoginIdentityRepository, UserRepository
from identity.users.schemas import RolesUpdate, UserCreate, UserRead, UserUpdate

EMAIL_TAKEN = "An account with this email address already exists."


# Every user holds this company role (it gates the ticket types open to everyone); it cannot be
# renamed or deleted, so the name identifies it.
DEFAULT_COMPANY_ROLE = "user"


def with_default_company_role(names: Sequence[str]) -> list[str]:
    """The company roles asked for, plus the default one whatever was asked."""
    if any(name.lower() == DEFAULT_COMPANY_ROLE for name in names):
        return list(names)
    # Last, so a problem with a name given still points at its index in the request.
    return [*names, DEFAULT_COMPANY_ROLE]


def with_base_role(roles: Sequence[str]) -> list[str]:
    """Every account holds the system role `user`; the others come on top, each once."""
    ordered = [SystemRole.USER.value, *(str(role) for role in roles)]
    return list(dict.fromkeys(ordered))


def to_read(user: User, company_roles: list[str]) -> UserRead:
    return UserRead(
        id=user.id,
        company_id=user.company_id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        is_active=user.is_active,
        system_roles=list(user.system_roles),
        company_roles=company_roles,
    )


def state_of(user: UserRead, tokens_valid_after: datetime | None = None) -> dict[str, object]:
    return {
        "tokens_valid_after": tokens_valid_after,
        "user_id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "system_roles": user.system_roles,
        "company_roles": user.company_roles,
    }


async def read(uow: UnitOfWork, user: User) -> UserRead:
    names = await UserRepository(uow.session, user.company_id).company_role_names([user.id])
    return to_read(user, names[user.id])


async def load(uow: UnitOfWork, company_id: UUID, user_id: UUID, *, for_update: bool = False) -> User:
    user = await UserRepository(uow.session, company_id).get(user_id, for_update=for_update)
    if user is None:
        raise NotFound("No such user.")
    return user


async def resolve_company_roles(uow: UnitOfWork, company_id: UUID, names: Sequence[str]) -> list[UUID]:
    """The ids of the named company roles; a 422 naming every unknown one."""
    roles = await CompanyRoleRepository(uow.session, company_id).by_names(names)
    known = {role.name.lower(): role.id for role in roles}
    errors = [
        {
            "loc": ["body", "company_roles", str(i)],
            "msg": f"No company role named {name!r}.",
            "type": "unknown_role",
        }
        for i, name in enumerate(names)
        if name.lower() not in known
    ]
    if errors:
        raise ValidationProblem("Some company roles do not exist.", errors=errors)
    return list(dict.fromkeys(known[name.lower()] for name in names))


async def create(
    uow: UnitOfWork,
    company_id: UUID,
    *,
    email: str,
    first_name: str,
    last_name: str,
    system_roles: Sequence[str],
    company_roles: Sequence[str],
    password_hash: str | None,
) -> UserRead:
    role_ids = await resolve_company_roles(uow, company_id, with_default_company_role(company_roles))
    user = User(
        company_id=company_id,
        email=email,
        first_name=first_name,
        last_name=last_name,
        password_hash=password_hash,
        is_active=True,
        system_roles=with_base_role(system_roles),
    )
    taken = Conflict(EMAIL_TAKEN, errors=[{"loc": ["body", "email"], "msg": EMAIL_TAKEN, "type": "taken"}])
    if await LoginIdentityRepository(uow.session).find_login(email_key(email)) is not None:
        raise taken
    try:
        # A savepoint: a concurrent creation of the same address surfaces as a conflict, not a 500.
        async with uow.session.begin_nested():
            UserRepository(uow.session, company_id).add(user)
            await uow.session.flush()
            if not await UserRepository(uow.session, company_id).claim_login(email_key(email), user.id):
                raise taken
    except IntegrityError as exc:
        raise taken from exc
    await UserRepository(uow.session, company_id).replace_company_roles(user.id, role_ids)
    created = await read(uow, user)
    await uow.publish(UserCreated.model_validate(state_of(created)), company_id=company_id)
    return created


async def get(uow: UnitOfWork, company_id: UUID, user_id: UUID) -> UserRead:
    return await read(uow, await load(uow, company_id, user_id))


async def search(uow: UnitOfWork, company_id: UUID, q: str | None, page: PageParams) -> Page[UserRead]:
    users, total = await UserRepository(uow.session, company_id).search(q, page.offset, page.page_size)
    names = await UserRepository(uow.session, company_id).company_role_names([u.id for u in users])
    return Page(
        items=[to_read(u, names[u.id]) for u in users], total=total, page=page.page, page_size=page.page_size
    )


async def update(uow: UnitOfWork, company_id: UUID, user_id: UUID, changes: UserUpdate) -> UserRead:
    user = await load(uow, company_id, user_id, for_update=True)
    changed = False
    if changes.email is not None and changes.email != user.email:
        if email_key(changes.email) != email_key(user.email):
            # Released first: a user holds one login identity, so the new one would collide with it.
            await UserRepository(uow.session, company_id).release_login(email_key(user.email), user.id)
            if not await UserRepository(uow.session, company_id).claim_login(
                email_key(changes.email), user.id
            ):
                raise Conflict(
                    EMAIL_TAKEN, errors=[{"loc": ["body", "email"], "msg": EMAIL_TAKEN, "type": "taken"}]
                )
        user.email = changes.email
        changed = True
    for field in ("first_name", "last_name"):
        value = getattr(changes, field)
        if value is not None and value != getattr(user, field):
            setattr(user, field, value)
            changed = True
    await uow.session.flush()
    updated = await read(uow, user)
    if changed:
        await uow.publish(
            UserUpdated.model_validate(state_of(updated, user.tokens_valid_after)), company_id=company_id
        )
    return updated


def revoke_issued_tokens(user: User) -> None:
    """The user's access tokens issued until now stop working (within seconds, at the gateway)
    instead of living out their lifetime."""
    user.tokens_valid_after = datetime.now(UTC)


async def _ensure_an_admin_remains(uow: UnitOfWork, user: User) -> None:
    is_admin = user.is_active and SystemRole.ADMIN.value in user.system_roles
    if is_admin and await UserRepository(uow.session, user.company_id).count_active_admins() <= 1:
        raise Conflict("The company must keep at least one active admin.")


async def deactivate(uow: UnitOfWork, company_id: UUID, user_id: UUID, acting_user_id: UUID) -> UserRead:
    """Deactivate a user: they can no longer sign in or refresh; the access token they hold
    stays valid until it expires (minutes), as every stateless token does."""
    user = await load(uow, company_id, user_id, for_update=True)
    if user.id == acting_user_id:
        raise Conflict("You cannot deactivate your own account.")
    if not user.is_active:
        return await read(uow, user)
    await _ensure_an_admin_remains(uow, user)
    user.is_active = False
    user.deactivated_at = datetime.now(UTC)
    revoke_issued_tokens(user)
    await RefreshTokenRepository(uow.session, company_id).revoke_user_sessions(user.id, except_family=None)
    await uow.session.flush()
    deactivated = await read(uow, user)
    await uow.publish(
        UserDeactivated.model_validate(state_of(deactivated, user.tokens_valid_after)), company_id=company_id
    )
    return deactivated


async def replace_roles(uow: UnitOfWork, company_id: UUID, user_id: UUID, roles: RolesUpdate) -> UserRead:
    user = await load(uow, company_id, user_id, for_update=True)
    system_roles = with_base_role(roles.system_roles)
    if SystemRole.ADMIN.value not in system_roles:
        await _ensure_an_admin_remains(uow, user)
    role_ids = await resolve_company_roles(uow, company_id, with_default_company_role(roles.company_roles))
    before = await read(uow, user)
    user.system_roles = system_roles
    await UserRepository(uow.session, company_id).replace_company_roles(user.id, role_ids)
    await uow.session.flush()
    after = await read(uow, user)
    if not (set(before.system_roles) <= set(after.system_roles)) or not (
        set(before.company_roles) <= set(after.company_roles)
    ):
        # A token names the roles it was issued with: one that lost a role must not outlive it.
        revoke_issued_tokens(user)
        await uow.session.flush()
    if (set(before.system_roles), set(before.company_roles)) != (
        set(after.system_roles),
        set(after.company_roles),
    ):
        await uow.publish(
            UserRolesChanged.model_validate(state_of(after, user.tokens_valid_after)), company_id=company_id
        )
    return after


async def publish_roles_changed(uow: UnitOfWork, company_id: UUID, user_ids: Sequence[UUID]) -> None:
    """After a company role was renamed or deleted: the new state of every user who held it."""
    users = await UserRepository(uow.session, company_id).get_many(user_ids)
    names = await UserRepository(uow.session, company_id).company_role_names([u.id for u in users])
    for user in users:
        # The tokens they hold name the old role.
        revoke_issued_tokens(user)
    await uow.session.flush()
    for user in users:
        state = to_read(user, names[user.id])
        await uow.publish(
            UserRolesChanged.model_validate(state_of(state, user.tokens_valid_after)), company_id=company_id
        )


async def create_by_admin(
    uow: UnitOfWork, runtime: IdentityRuntime, company_id: UUID, data: UserCreate
) -> UserRead:
    """A user created by an admin: with the initial password given, or else with a mail to set one."""
    created = await create(
        uow,
        company_id,
        email=data.email,
        first_name=data.first_name,
        last_name=data.last_name,
        system_roles=data.system_roles,
        company_roles=data.company_roles,
        password_hash=await runtime.passwords.hash(data.password) if data.password is not None else None,
    )
    if data.password is None:
        user = await load(uow, company_id, created.id)
        company_name = await CompaniesRepository(uow.session, company_id).name()
        await password_reset_service.send_invitation(uow, runtime, user, company_name)
    return created
