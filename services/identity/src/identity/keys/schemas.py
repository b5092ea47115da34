from typing import Any

from pydantic import BaseModel


class JwksRead(BaseModel):
    keys: list[dict[str, Any]]
