"""Response types: every API result is a :class:`~methodic._models.Record` (a ``dict`` that reads by attribute).

The fields each class declares are the ones the hosted Chronicle sends and the SDK documents; a record
keeps every other key the server sends too, and a declared field the server left out reads as ``None``
(list fields as ``[]``). UUIDs and timestamps stay strings, free-form JSON stays dicts, and states stay
plain strings, so a state this client does not know yet never breaks anything.

This is the one public module of results: import every result type from here (or from :mod:`methodic`).
The classes are written one module per area in ``methodic._types``; the older names of some of them
are defined here, each naming the class it is.
"""

from __future__ import annotations

# The one base of every result, importable from here as it was before the types moved to _types (not in __all__).
from methodic._models import Record as Record
from methodic._types.assets import (
    AssetCreated,
    AssetDeleted,
    AssetRecord,
    BulkApproval,
    InputsLinked,
    InputUnlinked,
    PresignedUpload,
    PresignedUrls,
)
from methodic._types.experiments import (
    DeleteSummary,
    ExperimentCreated,
    ExperimentDetail,
    ExperimentPage,
    ExperimentRecord,
    ExperimentSummary,
    LineageResponse,
    RetractResult,
    RunRecord,
    RunState,
    TentativeParentLink,
    UpstreamRetraction,
    UpstreamRetractionsResponse,
    VariationRecord,
    VariationRetractResult,
    VariationSummary,
)
from methodic._types.research import (
    Erratum,
    Finding,
    Lesson,
    PublicationRegistration,
    ResearchPrompt,
    ResearchPromptLink,
    RunningSummary,
    ScopeLessons,
    SearchResponse,
    SearchResult,
)
from methodic._types.transfers import (
    ComponentDigest,
    DownloadedCheckpoint,
    MultipartCompleted,
    MultipartStarted,
    ResumeOutcome,
    StoredPart,
)
from methodic._types.workspace import (
    ApiKey,
    Collection,
    CollectionMembers,
    GitStatus,
    GitToken,
    MembershipChange,
    Scope,
    Tag,
    TagDeleted,
    TaggedObjects,
    Tagging,
    Untagged,
)

#: ``run.get_variation_config()`` is the variation itself (the hosted wire reads the config there).
VariationConfig = VariationRecord
#: The older name of the inline-create result.
CreatedAsset = AssetCreated
#: The hosted SDK's name for what ``upload_component`` returns: the same one digest type.
FileSha256 = ComponentDigest

# Older names, kept so code written against them keeps working.
ExperimentView = ExperimentDetail
ExperimentDeleted = DeleteSummary
ExperimentRetracted = RetractResult
ExperimentListPage = ExperimentPage
LineageNode = ExperimentRecord
TentativeLinkRecord = TentativeParentLink
UpstreamRetractionsResult = UpstreamRetractionsResponse
UpstreamRetractions = UpstreamRetractionsResponse
VariationData = VariationRecord
AssetUploadInfo = PresignedUpload

__all__ = [
    "ApiKey",
    "AssetCreated",
    "AssetDeleted",
    "AssetRecord",
    "AssetUploadInfo",
    "BulkApproval",
    "Collection",
    "CollectionMembers",
    "ComponentDigest",
    "CreatedAsset",
    "DeleteSummary",
    "DownloadedCheckpoint",
    "Erratum",
    "ExperimentCreated",
    "ExperimentDeleted",
    "ExperimentDetail",
    "ExperimentListPage",
    "ExperimentPage",
    "ExperimentRecord",
    "ExperimentRetracted",
    "ExperimentSummary",
    "ExperimentView",
    "FileSha256",
    "Finding",
    "GitStatus",
    "GitToken",
    "InputUnlinked",
    "InputsLinked",
    "Lesson",
    "LineageNode",
    "LineageResponse",
    "MembershipChange",
    "MultipartCompleted",
    "MultipartStarted",
    "PresignedUpload",
    "PresignedUrls",
    "PublicationRegistration",
    "ResearchPrompt",
    "ResearchPromptLink",
    "ResumeOutcome",
    "RetractResult",
    "RunRecord",
    "RunState",
    "RunningSummary",
    "Scope",
    "ScopeLessons",
    "SearchResponse",
    "SearchResult",
    "StoredPart",
    "Tag",
    "TagDeleted",
    "TaggedObjects",
    "Tagging",
    "TentativeLinkRecord",
    "TentativeParentLink",
    "Untagged",
    "UpstreamRetraction",
    "UpstreamRetractions",
    "UpstreamRetractionsResponse",
    "UpstreamRetractionsResult",
    "VariationConfig",
    "VariationData",
    "VariationRecord",
    "VariationRetractResult",
    "VariationSummary",
]
