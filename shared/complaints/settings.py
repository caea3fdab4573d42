"""The deployment's settings: one object, read from the environment once, at cold start.

The values come from ``template.yaml`` (its parameters' ``Default``s are the only
defaults there are; the code holds none). A missing or malformed variable fails
the cold start with the names of what is wrong, not the first request.
"""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .domain.deadlines import SlaPolicy
from .domain.kpi.figures import WEIGHT_NAMES


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)

    table_name: str = Field(min_length=1)
    photos_bucket: str = Field(min_length=1)  # the private photo bucket (PHOTOS_BUCKET)
    public_base_url: str = Field(min_length=1)
    short_link_base_url: str  # the SMS's short tracking links; empty: public_base_url
    sender_address: str = Field(min_length=1)
    link_secret_name: str = Field(min_length=1)
    supervisors_address: str
    operators_topic_arn: str
    auditors_address: str
    audit_rate: float = Field(ge=0, le=1)
    escalate_after_business_days: int = Field(ge=1)
    feedback_days: int = Field(ge=1)
    dispute_window_days: int = Field(ge=1)
    executive_addresses: str  # comma-separated (the template joins its list)
    report_weights: str = Field(pattern=r"^[0-9.]+(,[0-9.]+){4}$")  # the fiscal-year score's five weights
    complainant_retention_days: int = Field(ge=30)  # after closing; then anonymised (docs/privacy.md)
    map_tiles_url: str = Field(pattern=r"^https?://[^/]+/.*\{z\}.*\{x\}.*\{y\}")  # the filing page's map tiles
    map_attribution: str  # what the map credits for its tiles (plain text)
    open311_jurisdiction_id: str = Field(min_length=1)  # Open311's jurisdiction_id (e.g. bangkok.go.th)
    open311_writes_per_key_per_minute: int = Field(ge=1)  # an API key's filings a UTC minute (docs/security.md)

    @property
    def executives(self) -> list[str]:
        return [a.strip() for a in self.executive_addresses.split(",") if a.strip()]

    @property
    def weights(self) -> dict[str, float]:
        return dict(zip(WEIGHT_NAMES, (float(w) for w in self.report_weights.split(",")), strict=True))

    @property
    def policy(self) -> SlaPolicy:
        return SlaPolicy(
            escalate_after_business_days=self.escalate_after_business_days,
            feedback_days=self.feedback_days,
            dispute_days=self.dispute_window_days,
        )


class SettingsError(RuntimeError):
    """The function's environment is not what ``template.yaml`` gives it."""


class IdentitySettings(BaseSettings):
    """The optional-identity authorizer's own settings (``functions/authorizer``): the user pool
    whose ID tokens it accepts. Only that function's environment has them."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)

    aws_region: str = Field(min_length=1)  # set by Lambda itself
    user_pool_id: str = Field(min_length=1)
    user_pool_client_id: str = Field(min_length=1)


class ConsoleSettings(BaseSettings):
    """The staff console's sign-in (``functions/pages``, ``/console``): the Cognito hosted UI's base
    URL (``https://<domain>.auth.<region>.amazoncognito.com``) and the app client. Both empty: no
    Cognito, the console runs in local mode (the role picker, ``?as=``); the template sets them in AWS."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)

    console_sign_in_url: str = Field(default="", pattern=r"^(https://[^/\s]+(/\S*)?)?$")
    console_client_id: str = Field(default="", pattern=r"^[A-Za-z0-9_-]*$")

    @property
    def auth(self) -> str:
        """``cognito`` when there is a sign-in URL, else ``local``."""
        return "cognito" if self.console_sign_in_url else "local"


def load() -> Settings:
    """The settings from the environment, or :class:`SettingsError` naming every bad variable."""
    try:
        return Settings()  # type: ignore[call-arg]  # every field comes from the environment
    except ValidationError as err:
        problems = ", ".join(f"{'.'.join(str(p) for p in e['loc']).upper()} ({e['msg']})" for e in err.errors())
        raise SettingsError(
            f"the function's environment is incomplete: {problems}; template.yaml sets these variables"
        ) from None
