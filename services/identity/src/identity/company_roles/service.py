"""Company roles: which ticket types a user may submit. Names are unique per company
(case-insensitively); the default role `user` is given to every user and cannot be renamed or
deleted."""

from uuid import UUID

from common.db import UnitOfWork
from common.errors import Conflict, NotFound
from identity.company_roles.repository import CompanyRoleRepository
from identity.company_roles.schemas import CompanyRoleCreate, CompanyRoleRead, CompanyRoleUpdate
from identity.models import CompanyRole
from identity.users import service as users_service
from identity.users.repository import UserRepository

DEFAULT_ROLE = users_service.DEFAULT_COMPANY_ROLE


def to_read(role: CompanyRole) -> CompanyRoleRead:
    return CompanyRoleRead(
        id=role.id, name=role.name, description=role.description, is_default=role.is_default
    )


def _name_taken(name: str) -> Conflict:
    message = f"A company role named {name!r} already exists."
    return Conflict(message, errors=[{"loc": ["body", "name"], "msg": message, "type": "taken"}])


async def create_default(uow: UnitOfWork, company_id: UUID) -> CompanyRole:
    role = await CompanyRoleRepository(uow.session, company_id).insert_role(
        DEFAULT_ROLE, "Every user of the company.", is_default=True
    )
    assert role is not None
    return role


async def list_roles(uow: UnitOfWork, company_id: UUID) -> list[CompanyRoleRead]:
    return [to_read(role) for role in await CompanyRoleRepository(uow.session, company_id).list_all()]


async def create(uow: UnitOfWork, company_id: UUID, data: CompanyRoleCreate) -> CompanyRoleRead:
    role = await CompanyRoleRepository(uow.session, company_id).insert_role(data.name, data.description)
    if role is None:
        raise _name_taken(data.name)
    return to_read(role)


async def _load(uow: UnitOfWork, company_id: UUID, role_id: UUID) -> CompanyRole:
    role = await CompanyRoleRepository(uow.session, company_id).get(role_id)
    if role is None:
        raise NotFound("No such company role.")
    return role


async def get(uow: UnitOfWork, company_id: UUID, role_id: UUID) -> CompanyRoleRead:
    return to_read(await _load(uow, company_id, role_id))


async def update(
    uow: UnitOfWork, company_id: UUID, role_id: UUID, changes: CompanyRoleUpdate
) -> CompanyRoleRead:
    role = await _load(uow, company_id, role_id)
    renamed = changes.name is not None and changes.name != role.name
    if renamed and changes.name is not None:
        if role.is_default:
            raise Conflict(f"The default role {role.name!r} cannot be renamed.")
        if await CompanyRoleRepository(uow.session, company_id).name_taken(changes.name, except_id=role.id):
            raise _name_taken(changes.name)
        role.name = changes.name
    if changes.description is not None:
        role.description = changes.description
    await uow.session.flush()
    if renamed:
        holders = await UserRepository(uow.session, company_id).users_with_company_role(role.id)
        await users_service.publish_roles_changed(uow, company_id, holders)
    return to_read(role)


async def delete(uow: UnitOfWork, company_id: UUID, role_id: UUID) -> None:
    role = await _load(uow, company_id, role_id)
    if role.is_default:
        raise Conflict(f"The default role {role.name!r} cannot be deleted: every user holds it.")
    holders = await UserRepository(uow.session, company_id).users_with_company_role(role.id)
    await CompanyRoleRepository(uow.session, company_id).remove(role)
    await uow.session.flush()
    await users_service.publish_roles_changed(uow, company_id, holders)
