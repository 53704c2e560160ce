"""Networks, organisations' opt-in to share aggregates, and cross-reports.

Nothing here holds case data. A network only ever receives aggregates that the
aggregation module computes from the clear columns of opted-in organisations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    """A regional network of organisations (e.g. a harm-reduction association).

    Its analysts are members with role ``network_analyst`` of the host
    organisation (the network's secretariat). They see the combined figures of
    the organisations that opted in, never a case.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    host = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="hosted_networks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class NetworkShare(models.Model):
    """The current opt-in decision of one organisation for one network.

    History is in the audit log (``stats.network_opt_in`` / ``_opt_out``).
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="network_shares"
    )
    opted_in = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="one_share_per_network_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.network_id}: {self.opted_in}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class NetworkInvitation(models.Model):
    """The host's invitation to an organisation to join a network.

    Only a member organisation (the host, or one that accepted) may opt in, so
    nobody can add their figures to a network that did not ask for them.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="network_invitations"
    )
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="one_invitation_per_network_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} to {self.network_id}: {self.status}"


class CrossReport(models.Model):
    """An incident that was also reported to another organisation.

    Both organisations mark their own copy with the same shared reference,
    agreed between them outside Vigil. Only a keyed hash of the reference is
    stored (``token``), so a mistyped name never lands in a clear column.
    Network totals count each token once: the copy with the lowest id among
    the counted incidents of the network's opted-in organisations.
    """

    event = models.OneToOneField(
        "incidents.Event", on_delete=models.CASCADE, related_name="cross_report"
    )
    token = models.CharField(max_length=64, db_index=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"cross-report {self.event_id}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """One advocacy report asked for by a member (``stats.report``): its settings, its
    progress, and the names of the generated files in the default storage.

    The files hold aggregates after disclosure control only, so they are not sealed;
    they get random names and are deleted with the job after a few days
    (``STATS_REPORT_KEEP_DAYS``, default 7).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    country = models.CharField(max_length=2, blank=True)
    date_from = models.DateField()
    date_to = models.DateField()
    language = models.CharField(max_length=8)
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=1)
    docx_name = models.CharField(max_length=200, blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ReportStatus.DONE:
            return 100
        return min(100, 100 * self.steps_done // max(self.steps_total, 1))

    @property
    def is_pending(self) -> bool:
        return self.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}


# --- roll-ups (see rollup.py) -------------------------------------------------------------


class RollupBuild(models.Model):
    """An organisation whose roll-ups are complete: statistics read them from then on.

    Until ``rebuild_rollups`` (or the worker's first refresh) has built them, the
    statistics of the organisation are counted live."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.built_at}"


class RollupCell(models.Model):
    """One count of one organisation in one month (null: incidents without a start date).

    ``unit``: incidents, acts (summable across months), victims and cases (counted in
    the month they were first seen: summable from the first month on),
    victims_in_month (distinct victims within the month, not summable).
    ``dimension``: ``total``, a dimension code, ``<code>@0`` for main categories,
    ``first_contact`` (days to first intervention) or ``legal_support``.
    ``value``: the key as text (term id, region code ...); null: not recorded."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(null=True)
    unit = models.CharField(max_length=16)
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=64, null=True)  # noqa: DJ001 - None: not recorded, "" differs
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "unit", "dimension", "month"], name="stats_rollup_read"
            ),
            models.Index(fields=["organisation", "month", "unit"], name="stats_rollup_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.unit} {self.dimension}={self.value}: {self.count}"


class RollupFirstSeen(models.Model):
    """The month in which a victim (or case) was first counted with a value.

    Distinct victims cannot be summed across months; victims counted in the month
    they were first seen can (from the first month up to any month). One row per
    (organisation, victim, dimension, value): bounded by distinct victims and values,
    not by acts, and exact (no sketch)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8)  # victim / case
    key = models.BigIntegerField()  # Person or Case id
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=64, null=True)  # noqa: DJ001 - None: not recorded, "" differs
    month = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "kind", "key"], name="stats_first_key"),
            models.Index(fields=["organisation", "kind", "month"], name="stats_first_month"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.dimension}={self.value}: {self.month}"


class RollupEventState(models.Model):
    """The month in which the roll-ups last counted an incident (so that a change of
    its date, or its deletion, also recomputes the month it left)."""

    event_id = models.BigIntegerField(primary_key=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(null=True)

    def __str__(self) -> str:
        return f"{self.event_id}: {self.month}"
