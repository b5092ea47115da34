from pydantic import BaseModel, ConfigDict, Field

from identity.users.schemas import NewPassword


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: NewPassword
