"""A user of company B sees none of company A's identity records: 404, exactly as if missing."""

import httpx
from sqlalchemy import select

from common.db import Database
from contracts.ids import uuid7
from identity.models import CompanyRole, LoginIdentity, User

from ..identity_testkit import create_member, sign_up


class TestCompanyIsolation:
    async def test_every_record_of_another_company_is_404(self, client: httpx.AsyncClient) -> None:
        company_a = await sign_up(client, "A")
        company_b = await sign_up(client, "B")
        member_a = await create_member(client, company_a)
        role_a = (
            await client.post(
                "/api/identity/company-roles", json={"name": "finance"}, headers=company_a.headers()
            )
        ).json()
        b = company_b.headers()
        for user_id in (company_a.user_id, member_a.user_id):
            calls = [
                await client.get(f"/api/identity/users/{user_id}", headers=b),
                await client.patch(f"/api/identity/users/{user_id}", json={"first_name": "X"}, headers=b),
                await client.post(f"/api/identity/users/{user_id}/deactivate", headers=b),
                await client.put(
                    f"/api/identity/users/{user_id}/roles",
                    json={"system_roles": ["admin"], "company_roles": []},
                    headers=b,
                ),
            ]
            assert [c.status_code for c in calls] == [404, 404, 404, 404]
        role_calls = [
            await client.get(f"/api/identity/company-roles/{role_a['id']}", headers=b),
            await client.patch(f"/api/identity/company-roles/{role_a['id']}", json={"name": "x"}, headers=b),
            await client.delete(f"/api/identity/company-roles/{role_a['id']}", headers=b),
        ]
        assert [c.status_code for c in role_calls] == [404, 404, 404]
        listed = (await client.get("/api/identity/users", headers=b)).json()
        assert [u["id"] for u in listed["items"]] == [str(company_b.user_id)]
        untouched = (
            await client.get(f"/api/identity/users/{member_a.user_id}", headers=company_a.headers())
        ).json()
        assert untouched["first_name"] == "Max"
        assert untouched["is_active"] is True

    async def test_row_level_security_hides_other_companies_even_without_the_filter(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        company_a = await sign_up(client, "A")
        company_b = await sign_up(client, "B")
        async with db.unit_of_work(company_b.company_id) as uow:
            visible = set(await uow.session.scalars(select(User.id)))
            roles = set(await uow.session.scalars(select(CompanyRole.company_id)))
        assert visible == {company_b.user_id}
        assert roles == {company_b.company_id}
        async with db.unit_of_work(uuid7()) as uow:
            assert list(await uow.session.scalars(select(User.id))) == []
        # The login lookup is shared on purpose: it is read before the company is known.
        async with db.unit_of_work(company_b.company_id) as uow:
            logins = set(await uow.session.scalars(select(LoginIdentity.user_id)))
        assert {company_a.user_id, company_b.user_id} <= logins
