"""Contains all the data models used in inputs/outputs

The models load on first use (PEP 562): importing one model, or this package, does not build
every attrs class, which keeps ``import methodic`` fast. ``from methodic_api.models import X``
and type checkers see exactly the names the stock template exports.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .asset import Asset
    from .asset_asset_config_type_0 import AssetAssetConfigType0
    from .asset_component import AssetComponent
    from .asset_create import AssetCreate
    from .asset_created import AssetCreated
    from .asset_deleted import AssetDeleted
    from .asset_finalize import AssetFinalize
    from .asset_flag import AssetFlag
    from .asset_metadata_update import AssetMetadataUpdate
    from .asset_metadata_update_metadata import AssetMetadataUpdateMetadata
    from .asset_presign import AssetPresign
    from .asset_presigned_urls import AssetPresignedUrls
    from .asset_reject import AssetReject
    from .bulk_finalize import BulkFinalize
    from .bulk_finalized import BulkFinalized
    from .bulk_finalized_collection_warnings_item import BulkFinalizedCollectionWarningsItem
    from .bulk_finalized_failed_item import BulkFinalizedFailedItem
    from .claim_check import ClaimCheck
    from .claim_check_request import ClaimCheckRequest
    from .claim_check_request_claims_item import ClaimCheckRequestClaimsItem
    from .client_config import ClientConfig
    from .dismiss_validation import DismissValidation
    from .error import Error
    from .error_details_type_0 import ErrorDetailsType0
    from .experiment import Experiment
    from .experiment_commit import ExperimentCommit
    from .experiment_commit_tentative_links import ExperimentCommitTentativeLinks
    from .experiment_conclude import ExperimentConclude
    from .experiment_create import ExperimentCreate
    from .experiment_created import ExperimentCreated
    from .experiment_deleted import ExperimentDeleted
    from .experiment_detail import ExperimentDetail
    from .experiment_fork import ExperimentFork
    from .experiment_launch_config_type_0 import ExperimentLaunchConfigType0
    from .experiment_lessons import ExperimentLessons
    from .experiment_rationale import ExperimentRationale
    from .experiment_record_with_settings import ExperimentRecordWithSettings
    from .experiment_record_with_settings_report_settings_type_0 import ExperimentRecordWithSettingsReportSettingsType0
    from .experiment_research_prompts_item import ExperimentResearchPromptsItem
    from .experiment_retracted import ExperimentRetracted
    from .experiment_summary import ExperimentSummary
    from .file_digest import FileDigest
    from .finding import Finding
    from .finding_dismissal_type_0 import FindingDismissalType0
    from .finding_record import FindingRecord
    from .finding_validation_type_0 import FindingValidationType0
    from .free_form import FreeForm
    from .git_status import GitStatus
    from .git_status_branches_item import GitStatusBranchesItem
    from .git_token import GitToken
    from .heartbeat import Heartbeat
    from .input_unlinked import InputUnlinked
    from .inputs_link import InputsLink
    from .inputs_linked import InputsLinked
    from .lesson import Lesson
    from .lesson_body_type_0 import LessonBodyType0
    from .lesson_evidence_type_0 import LessonEvidenceType0
    from .lesson_record import LessonRecord
    from .lesson_record_body import LessonRecordBody
    from .lesson_record_evidence import LessonRecordEvidence
    from .lesson_retire import LessonRetire
    from .lesson_update import LessonUpdate
    from .lesson_update_body import LessonUpdateBody
    from .lesson_update_evidence import LessonUpdateEvidence
    from .lineage import Lineage
    from .output_of import OutputOf
    from .presigned_urls_answer import PresignedUrlsAnswer
    from .presigned_urls_answer_presigned_urls import PresignedUrlsAnswerPresignedUrls
    from .publication_finalize import PublicationFinalize
    from .publication_finalized import PublicationFinalized
    from .publication_register import PublicationRegister
    from .publication_registered import PublicationRegistered
    from .publication_registered_parsed import PublicationRegisteredParsed
    from .r2_copy import R2Copy
    from .report_settings_update import ReportSettingsUpdate
    from .report_settings_update_settings import ReportSettingsUpdateSettings
    from .research_prompt import ResearchPrompt
    from .research_prompt_attach import ResearchPromptAttach
    from .research_prompt_attached import ResearchPromptAttached
    from .research_prompt_create import ResearchPromptCreate
    from .retract import Retract
    from .run import Run
    from .run_fail import RunFail
    from .run_start import RunStart
    from .running_summary import RunningSummary
    from .scope import Scope
    from .scope_lessons import ScopeLessons
    from .scope_lessons_experiments_item import ScopeLessonsExperimentsItem
    from .scope_list import ScopeList
    from .search_filters import SearchFilters
    from .search_request import SearchRequest
    from .search_response import SearchResponse
    from .search_result import SearchResult
    from .search_scope import SearchScope
    from .tentative_link_list import TentativeLinkList
    from .tentative_parent import TentativeParent
    from .training_support import TrainingSupport
    from .training_support_request import TrainingSupportRequest
    from .upload_route import UploadRoute
    from .upload_url import UploadUrl
    from .upstream_retraction import UpstreamRetraction
    from .upstream_retractions import UpstreamRetractions
    from .variation import Variation
    from .variation_accelerate_config_json_type_0 import VariationAccelerateConfigJsonType0
    from .variation_commit import VariationCommit
    from .variation_config_json import VariationConfigJson
    from .variation_create import VariationCreate
    from .variation_git_ref import VariationGitRef
    from .variation_launch_config_type_0 import VariationLaunchConfigType0
    from .variation_retracted import VariationRetracted
    from .variation_summary import VariationSummary
    from .variation_update import VariationUpdate

_MODULE_OF = {
    "Asset": ".asset",
    "AssetAssetConfigType0": ".asset_asset_config_type_0",
    "AssetComponent": ".asset_component",
    "AssetCreate": ".asset_create",
    "AssetCreated": ".asset_created",
    "AssetDeleted": ".asset_deleted",
    "AssetFinalize": ".asset_finalize",
    "AssetFlag": ".asset_flag",
    "AssetMetadataUpdate": ".asset_metadata_update",
    "AssetMetadataUpdateMetadata": ".asset_metadata_update_metadata",
    "AssetPresign": ".asset_presign",
    "AssetPresignedUrls": ".asset_presigned_urls",
    "AssetReject": ".asset_reject",
    "BulkFinalize": ".bulk_finalize",
    "BulkFinalized": ".bulk_finalized",
    "BulkFinalizedCollectionWarningsItem": ".bulk_finalized_collection_warnings_item",
    "BulkFinalizedFailedItem": ".bulk_finalized_failed_item",
    "ClaimCheck": ".claim_check",
    "ClaimCheckRequest": ".claim_check_request",
    "ClaimCheckRequestClaimsItem": ".claim_check_request_claims_item",
    "ClientConfig": ".client_config",
    "DismissValidation": ".dismiss_validation",
    "Error": ".error",
    "ErrorDetailsType0": ".error_details_type_0",
    "Experiment": ".experiment",
    "ExperimentCommit": ".experiment_commit",
    "ExperimentCommitTentativeLinks": ".experiment_commit_tentative_links",
    "ExperimentConclude": ".experiment_conclude",
    "ExperimentCreate": ".experiment_create",
    "ExperimentCreated": ".experiment_created",
    "ExperimentDeleted": ".experiment_deleted",
    "ExperimentDetail": ".experiment_detail",
    "ExperimentFork": ".experiment_fork",
    "ExperimentLaunchConfigType0": ".experiment_launch_config_type_0",
    "ExperimentLessons": ".experiment_lessons",
    "ExperimentRationale": ".experiment_rationale",
    "ExperimentRecordWithSettings": ".experiment_record_with_settings",
    "ExperimentRecordWithSettingsReportSettingsType0": ".experiment_record_with_settings_report_settings_type_0",
    "ExperimentResearchPromptsItem": ".experiment_research_prompts_item",
    "ExperimentRetracted": ".experiment_retracted",
    "ExperimentSummary": ".experiment_summary",
    "FileDigest": ".file_digest",
    "Finding": ".finding",
    "FindingDismissalType0": ".finding_dismissal_type_0",
    "FindingRecord": ".finding_record",
    "FindingValidationType0": ".finding_validation_type_0",
    "FreeForm": ".free_form",
    "GitStatus": ".git_status",
    "GitStatusBranchesItem": ".git_status_branches_item",
    "GitToken": ".git_token",
    "Heartbeat": ".heartbeat",
    "InputUnlinked": ".input_unlinked",
    "InputsLink": ".inputs_link",
    "InputsLinked": ".inputs_linked",
    "Lesson": ".lesson",
    "LessonBodyType0": ".lesson_body_type_0",
    "LessonEvidenceType0": ".lesson_evidence_type_0",
    "LessonRecord": ".lesson_record",
    "LessonRecordBody": ".lesson_record_body",
    "LessonRecordEvidence": ".lesson_record_evidence",
    "LessonRetire": ".lesson_retire",
    "LessonUpdate": ".lesson_update",
    "LessonUpdateBody": ".lesson_update_body",
    "LessonUpdateEvidence": ".lesson_update_evidence",
    "Lineage": ".lineage",
    "OutputOf": ".output_of",
    "PresignedUrlsAnswer": ".presigned_urls_answer",
    "PresignedUrlsAnswerPresignedUrls": ".presigned_urls_answer_presigned_urls",
    "PublicationFinalize": ".publication_finalize",
    "PublicationFinalized": ".publication_finalized",
    "PublicationRegister": ".publication_register",
    "PublicationRegistered": ".publication_registered",
    "PublicationRegisteredParsed": ".publication_registered_parsed",
    "R2Copy": ".r2_copy",
    "ReportSettingsUpdate": ".report_settings_update",
    "ReportSettingsUpdateSettings": ".report_settings_update_settings",
    "ResearchPrompt": ".research_prompt",
    "ResearchPromptAttach": ".research_prompt_attach",
    "ResearchPromptAttached": ".research_prompt_attached",
    "ResearchPromptCreate": ".research_prompt_create",
    "Retract": ".retract",
    "Run": ".run",
    "RunFail": ".run_fail",
    "RunStart": ".run_start",
    "RunningSummary": ".running_summary",
    "Scope": ".scope",
    "ScopeLessons": ".scope_lessons",
    "ScopeLessonsExperimentsItem": ".scope_lessons_experiments_item",
    "ScopeList": ".scope_list",
    "SearchFilters": ".search_filters",
    "SearchRequest": ".search_request",
    "SearchResponse": ".search_response",
    "SearchResult": ".search_result",
    "SearchScope": ".search_scope",
    "TentativeLinkList": ".tentative_link_list",
    "TentativeParent": ".tentative_parent",
    "TrainingSupport": ".training_support",
    "TrainingSupportRequest": ".training_support_request",
    "UploadRoute": ".upload_route",
    "UploadUrl": ".upload_url",
    "UpstreamRetraction": ".upstream_retraction",
    "UpstreamRetractions": ".upstream_retractions",
    "Variation": ".variation",
    "VariationAccelerateConfigJsonType0": ".variation_accelerate_config_json_type_0",
    "VariationCommit": ".variation_commit",
    "VariationConfigJson": ".variation_config_json",
    "VariationCreate": ".variation_create",
    "VariationGitRef": ".variation_git_ref",
    "VariationLaunchConfigType0": ".variation_launch_config_type_0",
    "VariationRetracted": ".variation_retracted",
    "VariationSummary": ".variation_summary",
    "VariationUpdate": ".variation_update",
}

__all__ = (
    "Asset",
    "AssetAssetConfigType0",
    "AssetComponent",
    "AssetCreate",
    "AssetCreated",
    "AssetDeleted",
    "AssetFinalize",
    "AssetFlag",
    "AssetMetadataUpdate",
    "AssetMetadataUpdateMetadata",
    "AssetPresign",
    "AssetPresignedUrls",
    "AssetReject",
    "BulkFinalize",
    "BulkFinalized",
    "BulkFinalizedCollectionWarningsItem",
    "BulkFinalizedFailedItem",
    "ClaimCheck",
    "ClaimCheckRequest",
    "ClaimCheckRequestClaimsItem",
    "ClientConfig",
    "DismissValidation",
    "Error",
    "ErrorDetailsType0",
    "Experiment",
    "ExperimentCommit",
    "ExperimentCommitTentativeLinks",
    "ExperimentConclude",
    "ExperimentCreate",
    "ExperimentCreated",
    "ExperimentDeleted",
    "ExperimentDetail",
    "ExperimentFork",
    "ExperimentLaunchConfigType0",
    "ExperimentLessons",
    "ExperimentRationale",
    "ExperimentRecordWithSettings",
    "ExperimentRecordWithSettingsReportSettingsType0",
    "ExperimentResearchPromptsItem",
    "ExperimentRetracted",
    "ExperimentSummary",
    "FileDigest",
    "Finding",
    "FindingDismissalType0",
    "FindingRecord",
    "FindingValidationType0",
    "FreeForm",
    "GitStatus",
    "GitStatusBranchesItem",
    "GitToken",
    "Heartbeat",
    "InputsLink",
    "InputsLinked",
    "InputUnlinked",
    "Lesson",
    "LessonBodyType0",
    "LessonEvidenceType0",
    "LessonRecord",
    "LessonRecordBody",
    "LessonRecordEvidence",
    "LessonRetire",
    "LessonUpdate",
    "LessonUpdateBody",
    "LessonUpdateEvidence",
    "Lineage",
    "OutputOf",
    "PresignedUrlsAnswer",
    "PresignedUrlsAnswerPresignedUrls",
    "PublicationFinalize",
    "PublicationFinalized",
    "PublicationRegister",
    "PublicationRegistered",
    "PublicationRegisteredParsed",
    "R2Copy",
    "ReportSettingsUpdate",
    "ReportSettingsUpdateSettings",
    "ResearchPrompt",
    "ResearchPromptAttach",
    "ResearchPromptAttached",
    "ResearchPromptCreate",
    "Retract",
    "Run",
    "RunFail",
    "RunningSummary",
    "RunStart",
    "Scope",
    "ScopeLessons",
    "ScopeLessonsExperimentsItem",
    "ScopeList",
    "SearchFilters",
    "SearchRequest",
    "SearchResponse",
    "SearchResult",
    "SearchScope",
    "TentativeLinkList",
    "TentativeParent",
    "TrainingSupport",
    "TrainingSupportRequest",
    "UploadRoute",
    "UploadUrl",
    "UpstreamRetraction",
    "UpstreamRetractions",
    "Variation",
    "VariationAccelerateConfigJsonType0",
    "VariationCommit",
    "VariationConfigJson",
    "VariationCreate",
    "VariationGitRef",
    "VariationLaunchConfigType0",
    "VariationRetracted",
    "VariationSummary",
    "VariationUpdate",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
