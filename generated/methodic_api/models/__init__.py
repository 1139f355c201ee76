"""Contains all the data models used in inputs/outputs

The models load on first use (PEP 562): importing one model, or this package, does not build
every attrs class, which keeps ``import methodic`` fast. ``from methodic_api.models import X``
and type checkers see exactly the names the stock template exports.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .access_entry import AccessEntry
    from .access_grant import AccessGrant
    from .access_revoked import AccessRevoked
    from .activity_item import ActivityItem
    from .api_key import ApiKey
    from .api_key_create import ApiKeyCreate
    from .api_key_create_restriction import ApiKeyCreateRestriction
    from .api_key_restriction import ApiKeyRestriction
    from .api_key_restriction_restriction_type_0 import ApiKeyRestrictionRestrictionType0
    from .api_key_restriction_type_0 import ApiKeyRestrictionType0
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
    from .bulk_approve import BulkApprove
    from .bulk_approved import BulkApproved
    from .bulk_approved_results_item import BulkApprovedResultsItem
    from .bulk_finalize import BulkFinalize
    from .bulk_finalized import BulkFinalized
    from .bulk_finalized_collection_warnings_item import BulkFinalizedCollectionWarningsItem
    from .bulk_finalized_failed_item import BulkFinalizedFailedItem
    from .claim_check import ClaimCheck
    from .claim_check_request import ClaimCheckRequest
    from .claim_check_request_claims_item import ClaimCheckRequestClaimsItem
    from .client_config import ClientConfig
    from .collection import Collection
    from .collection_associate import CollectionAssociate
    from .collection_create import CollectionCreate
    from .collection_members import CollectionMembers
    from .collection_members_added import CollectionMembersAdded
    from .collection_members_assets_item import CollectionMembersAssetsItem
    from .collection_members_change import CollectionMembersChange
    from .collection_members_experiments_item import CollectionMembersExperimentsItem
    from .collection_members_removed import CollectionMembersRemoved
    from .collections_associated import CollectionsAssociated
    from .dismiss_validation import DismissValidation
    from .erratum import Erratum
    from .erratum_create import ErratumCreate
    from .erratum_create_target import ErratumCreateTarget
    from .erratum_created import ErratumCreated
    from .erratum_detached import ErratumDetached
    from .erratum_target import ErratumTarget
    from .error import Error
    from .error_details_type_0 import ErrorDetailsType0
    from .error_report import ErrorReport
    from .error_report_accepted import ErrorReportAccepted
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
    from .failure_mode_catalog import FailureModeCatalog
    from .failure_mode_catalog_failure_modes_item import FailureModeCatalogFailureModesItem
    from .feed_event import FeedEvent
    from .feed_event_payload import FeedEventPayload
    from .feed_pointer import FeedPointer
    from .feed_seen import FeedSeen
    from .feedback_created import FeedbackCreated
    from .feedback_submit import FeedbackSubmit
    from .feedback_submit_context import FeedbackSubmitContext
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
    from .lineage_promoted import LineagePromoted
    from .object_aces import ObjectAces
    from .operational_check_catalog import OperationalCheckCatalog
    from .operational_check_catalog_operational_checks_item import OperationalCheckCatalogOperationalChecksItem
    from .operational_check_suggest import OperationalCheckSuggest
    from .operational_check_suggestion import OperationalCheckSuggestion
    from .operational_check_suggestion_checks_item import OperationalCheckSuggestionChecksItem
    from .output_of import OutputOf
    from .ownership_move import OwnershipMove
    from .presigned_urls_answer import PresignedUrlsAnswer
    from .presigned_urls_answer_presigned_urls import PresignedUrlsAnswerPresignedUrls
    from .publication_finalize import PublicationFinalize
    from .publication_finalized import PublicationFinalized
    from .publication_register import PublicationRegister
    from .publication_registered import PublicationRegistered
    from .publication_registered_parsed import PublicationRegisteredParsed
    from .r2_copy import R2Copy
    from .r2_status import R2Status
    from .reasoning_error import ReasoningError
    from .reasoning_error_reclassify import ReasoningErrorReclassify
    from .reasoning_error_report import ReasoningErrorReport
    from .reasoning_error_report_evidence import ReasoningErrorReportEvidence
    from .report_render import ReportRender
    from .report_render_payload import ReportRenderPayload
    from .report_settings_update import ReportSettingsUpdate
    from .report_settings_update_settings import ReportSettingsUpdateSettings
    from .report_with_content import ReportWithContent
    from .report_with_content_content_type_0 import ReportWithContentContentType0
    from .research_prompt import ResearchPrompt
    from .research_prompt_attach import ResearchPromptAttach
    from .research_prompt_attached import ResearchPromptAttached
    from .research_prompt_create import ResearchPromptCreate
    from .retract import Retract
    from .review_queue import ReviewQueue
    from .review_queue_items_item import ReviewQueueItemsItem
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
    from .tag import Tag
    from .tag_create import TagCreate
    from .tag_deleted import TagDeleted
    from .tag_objects import TagObjects
    from .tag_objects_assets_item import TagObjectsAssetsItem
    from .tag_objects_experiments_item import TagObjectsExperimentsItem
    from .tag_ref import TagRef
    from .tag_rename import TagRename
    from .tag_untag import TagUntag
    from .tagging import Tagging
    from .tentative_link_list import TentativeLinkList
    from .tentative_parent import TentativeParent
    from .training_support import TrainingSupport
    from .training_support_request import TrainingSupportRequest
    from .untagged import Untagged
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
    from .visibility_set import VisibilitySet

_MODULE_OF = {
    "AccessEntry": ".access_entry",
    "AccessGrant": ".access_grant",
    "AccessRevoked": ".access_revoked",
    "ActivityItem": ".activity_item",
    "ApiKey": ".api_key",
    "ApiKeyCreate": ".api_key_create",
    "ApiKeyCreateRestriction": ".api_key_create_restriction",
    "ApiKeyRestriction": ".api_key_restriction",
    "ApiKeyRestrictionRestrictionType0": ".api_key_restriction_restriction_type_0",
    "ApiKeyRestrictionType0": ".api_key_restriction_type_0",
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
    "BulkApprove": ".bulk_approve",
    "BulkApproved": ".bulk_approved",
    "BulkApprovedResultsItem": ".bulk_approved_results_item",
    "BulkFinalize": ".bulk_finalize",
    "BulkFinalized": ".bulk_finalized",
    "BulkFinalizedCollectionWarningsItem": ".bulk_finalized_collection_warnings_item",
    "BulkFinalizedFailedItem": ".bulk_finalized_failed_item",
    "ClaimCheck": ".claim_check",
    "ClaimCheckRequest": ".claim_check_request",
    "ClaimCheckRequestClaimsItem": ".claim_check_request_claims_item",
    "ClientConfig": ".client_config",
    "Collection": ".collection",
    "CollectionAssociate": ".collection_associate",
    "CollectionCreate": ".collection_create",
    "CollectionMembers": ".collection_members",
    "CollectionMembersAdded": ".collection_members_added",
    "CollectionMembersAssetsItem": ".collection_members_assets_item",
    "CollectionMembersChange": ".collection_members_change",
    "CollectionMembersExperimentsItem": ".collection_members_experiments_item",
    "CollectionMembersRemoved": ".collection_members_removed",
    "CollectionsAssociated": ".collections_associated",
    "DismissValidation": ".dismiss_validation",
    "Erratum": ".erratum",
    "ErratumCreate": ".erratum_create",
    "ErratumCreateTarget": ".erratum_create_target",
    "ErratumCreated": ".erratum_created",
    "ErratumDetached": ".erratum_detached",
    "ErratumTarget": ".erratum_target",
    "Error": ".error",
    "ErrorDetailsType0": ".error_details_type_0",
    "ErrorReport": ".error_report",
    "ErrorReportAccepted": ".error_report_accepted",
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
    "FailureModeCatalog": ".failure_mode_catalog",
    "FailureModeCatalogFailureModesItem": ".failure_mode_catalog_failure_modes_item",
    "FeedEvent": ".feed_event",
    "FeedEventPayload": ".feed_event_payload",
    "FeedPointer": ".feed_pointer",
    "FeedSeen": ".feed_seen",
    "FeedbackCreated": ".feedback_created",
    "FeedbackSubmit": ".feedback_submit",
    "FeedbackSubmitContext": ".feedback_submit_context",
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
    "LineagePromoted": ".lineage_promoted",
    "ObjectAces": ".object_aces",
    "OperationalCheckCatalog": ".operational_check_catalog",
    "OperationalCheckCatalogOperationalChecksItem": ".operational_check_catalog_operational_checks_item",
    "OperationalCheckSuggest": ".operational_check_suggest",
    "OperationalCheckSuggestion": ".operational_check_suggestion",
    "OperationalCheckSuggestionChecksItem": ".operational_check_suggestion_checks_item",
    "OutputOf": ".output_of",
    "OwnershipMove": ".ownership_move",
    "PresignedUrlsAnswer": ".presigned_urls_answer",
    "PresignedUrlsAnswerPresignedUrls": ".presigned_urls_answer_presigned_urls",
    "PublicationFinalize": ".publication_finalize",
    "PublicationFinalized": ".publication_finalized",
    "PublicationRegister": ".publication_register",
    "PublicationRegistered": ".publication_registered",
    "PublicationRegisteredParsed": ".publication_registered_parsed",
    "R2Copy": ".r2_copy",
    "R2Status": ".r2_status",
    "ReasoningError": ".reasoning_error",
    "ReasoningErrorReclassify": ".reasoning_error_reclassify",
    "ReasoningErrorReport": ".reasoning_error_report",
    "ReasoningErrorReportEvidence": ".reasoning_error_report_evidence",
    "ReportRender": ".report_render",
    "ReportRenderPayload": ".report_render_payload",
    "ReportSettingsUpdate": ".report_settings_update",
    "ReportSettingsUpdateSettings": ".report_settings_update_settings",
    "ReportWithContent": ".report_with_content",
    "ReportWithContentContentType0": ".report_with_content_content_type_0",
    "ResearchPrompt": ".research_prompt",
    "ResearchPromptAttach": ".research_prompt_attach",
    "ResearchPromptAttached": ".research_prompt_attached",
    "ResearchPromptCreate": ".research_prompt_create",
    "Retract": ".retract",
    "ReviewQueue": ".review_queue",
    "ReviewQueueItemsItem": ".review_queue_items_item",
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
    "Tag": ".tag",
    "TagCreate": ".tag_create",
    "TagDeleted": ".tag_deleted",
    "TagObjects": ".tag_objects",
    "TagObjectsAssetsItem": ".tag_objects_assets_item",
    "TagObjectsExperimentsItem": ".tag_objects_experiments_item",
    "TagRef": ".tag_ref",
    "TagRename": ".tag_rename",
    "TagUntag": ".tag_untag",
    "Tagging": ".tagging",
    "TentativeLinkList": ".tentative_link_list",
    "TentativeParent": ".tentative_parent",
    "TrainingSupport": ".training_support",
    "TrainingSupportRequest": ".training_support_request",
    "Untagged": ".untagged",
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
    "VisibilitySet": ".visibility_set",
}

__all__ = (
    "AccessEntry",
    "AccessGrant",
    "AccessRevoked",
    "ActivityItem",
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyCreateRestriction",
    "ApiKeyRestriction",
    "ApiKeyRestrictionRestrictionType0",
    "ApiKeyRestrictionType0",
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
    "BulkApprove",
    "BulkApproved",
    "BulkApprovedResultsItem",
    "BulkFinalize",
    "BulkFinalized",
    "BulkFinalizedCollectionWarningsItem",
    "BulkFinalizedFailedItem",
    "ClaimCheck",
    "ClaimCheckRequest",
    "ClaimCheckRequestClaimsItem",
    "ClientConfig",
    "Collection",
    "CollectionAssociate",
    "CollectionCreate",
    "CollectionMembers",
    "CollectionMembersAdded",
    "CollectionMembersAssetsItem",
    "CollectionMembersChange",
    "CollectionMembersExperimentsItem",
    "CollectionMembersRemoved",
    "CollectionsAssociated",
    "DismissValidation",
    "Erratum",
    "ErratumCreate",
    "ErratumCreated",
    "ErratumCreateTarget",
    "ErratumDetached",
    "ErratumTarget",
    "Error",
    "ErrorDetailsType0",
    "ErrorReport",
    "ErrorReportAccepted",
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
    "FailureModeCatalog",
    "FailureModeCatalogFailureModesItem",
    "FeedbackCreated",
    "FeedbackSubmit",
    "FeedbackSubmitContext",
    "FeedEvent",
    "FeedEventPayload",
    "FeedPointer",
    "FeedSeen",
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
    "LineagePromoted",
    "ObjectAces",
    "OperationalCheckCatalog",
    "OperationalCheckCatalogOperationalChecksItem",
    "OperationalCheckSuggest",
    "OperationalCheckSuggestion",
    "OperationalCheckSuggestionChecksItem",
    "OutputOf",
    "OwnershipMove",
    "PresignedUrlsAnswer",
    "PresignedUrlsAnswerPresignedUrls",
    "PublicationFinalize",
    "PublicationFinalized",
    "PublicationRegister",
    "PublicationRegistered",
    "PublicationRegisteredParsed",
    "R2Copy",
    "R2Status",
    "ReasoningError",
    "ReasoningErrorReclassify",
    "ReasoningErrorReport",
    "ReasoningErrorReportEvidence",
    "ReportRender",
    "ReportRenderPayload",
    "ReportSettingsUpdate",
    "ReportSettingsUpdateSettings",
    "ReportWithContent",
    "ReportWithContentContentType0",
    "ResearchPrompt",
    "ResearchPromptAttach",
    "ResearchPromptAttached",
    "ResearchPromptCreate",
    "Retract",
    "ReviewQueue",
    "ReviewQueueItemsItem",
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
    "Tag",
    "TagCreate",
    "TagDeleted",
    "Tagging",
    "TagObjects",
    "TagObjectsAssetsItem",
    "TagObjectsExperimentsItem",
    "TagRef",
    "TagRename",
    "TagUntag",
    "TentativeLinkList",
    "TentativeParent",
    "TrainingSupport",
    "TrainingSupportRequest",
    "Untagged",
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
    "VisibilitySet",
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
