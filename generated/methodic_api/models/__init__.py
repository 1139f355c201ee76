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
    from .asset_created_upload_urls_type_0 import AssetCreatedUploadUrlsType0
    from .asset_deleted import AssetDeleted
    from .asset_download_urls_type_0 import AssetDownloadUrlsType0
    from .asset_finalize import AssetFinalize
    from .asset_flag import AssetFlag
    from .asset_list import AssetList
    from .asset_page import AssetPage
    from .asset_presign import AssetPresign
    from .asset_reject import AssetReject
    from .completed_part import CompletedPart
    from .component_digest import ComponentDigest
    from .error import Error
    from .error_details_type_0 import ErrorDetailsType0
    from .experiment import Experiment
    from .experiment_commit import ExperimentCommit
    from .experiment_commit_tentative_links import ExperimentCommitTentativeLinks
    from .experiment_create import ExperimentCreate
    from .experiment_created import ExperimentCreated
    from .experiment_deleted import ExperimentDeleted
    from .experiment_detail import ExperimentDetail
    from .experiment_list import ExperimentList
    from .experiment_retract import ExperimentRetract
    from .experiment_retracted import ExperimentRetracted
    from .free_form import FreeForm
    from .input_link_create import InputLinkCreate
    from .input_unlinked import InputUnlinked
    from .inputs_add import InputsAdd
    from .lineage import Lineage
    from .lineage_node import LineageNode
    from .multipart_complete import MultipartComplete
    from .multipart_completed import MultipartCompleted
    from .multipart_parts import MultipartParts
    from .multipart_presign import MultipartPresign
    from .multipart_start import MultipartStart
    from .multipart_upload import MultipartUpload
    from .output_of import OutputOf
    from .part_urls import PartUrls
    from .part_urls_urls import PartUrlsUrls
    from .presigned_urls import PresignedUrls
    from .presigned_urls_urls import PresignedUrlsUrls
    from .run import Run
    from .run_fail import RunFail
    from .run_list import RunList
    from .run_start import RunStart
    from .scope import Scope
    from .scope_list import ScopeList
    from .search_filters import SearchFilters
    from .search_request import SearchRequest
    from .search_response import SearchResponse
    from .search_result import SearchResult
    from .stored_part import StoredPart
    from .tentative_link import TentativeLink
    from .tentative_link_list import TentativeLinkList
    from .upstream_retraction import UpstreamRetraction
    from .upstream_retractions import UpstreamRetractions
    from .variation import Variation
    from .variation_config import VariationConfig
    from .variation_config_accelerate_config_json_type_0 import VariationConfigAccelerateConfigJsonType0
    from .variation_config_config_json import VariationConfigConfigJson
    from .variation_config_launch_config_type_0 import VariationConfigLaunchConfigType0
    from .variation_create import VariationCreate
    from .variation_launch_config_type_0 import VariationLaunchConfigType0
    from .variation_retract import VariationRetract
    from .variation_retracted import VariationRetracted
    from .variation_summary import VariationSummary
    from .variation_update import VariationUpdate

_MODULE_OF = {
    "Asset": ".asset",
    "AssetAssetConfigType0": ".asset_asset_config_type_0",
    "AssetComponent": ".asset_component",
    "AssetCreate": ".asset_create",
    "AssetCreated": ".asset_created",
    "AssetCreatedUploadUrlsType0": ".asset_created_upload_urls_type_0",
    "AssetDeleted": ".asset_deleted",
    "AssetDownloadUrlsType0": ".asset_download_urls_type_0",
    "AssetFinalize": ".asset_finalize",
    "AssetFlag": ".asset_flag",
    "AssetList": ".asset_list",
    "AssetPage": ".asset_page",
    "AssetPresign": ".asset_presign",
    "AssetReject": ".asset_reject",
    "CompletedPart": ".completed_part",
    "ComponentDigest": ".component_digest",
    "Error": ".error",
    "ErrorDetailsType0": ".error_details_type_0",
    "Experiment": ".experiment",
    "ExperimentCommit": ".experiment_commit",
    "ExperimentCommitTentativeLinks": ".experiment_commit_tentative_links",
    "ExperimentCreate": ".experiment_create",
    "ExperimentCreated": ".experiment_created",
    "ExperimentDeleted": ".experiment_deleted",
    "ExperimentDetail": ".experiment_detail",
    "ExperimentList": ".experiment_list",
    "ExperimentRetract": ".experiment_retract",
    "ExperimentRetracted": ".experiment_retracted",
    "FreeForm": ".free_form",
    "InputLinkCreate": ".input_link_create",
    "InputUnlinked": ".input_unlinked",
    "InputsAdd": ".inputs_add",
    "Lineage": ".lineage",
    "LineageNode": ".lineage_node",
    "MultipartComplete": ".multipart_complete",
    "MultipartCompleted": ".multipart_completed",
    "MultipartParts": ".multipart_parts",
    "MultipartPresign": ".multipart_presign",
    "MultipartStart": ".multipart_start",
    "MultipartUpload": ".multipart_upload",
    "OutputOf": ".output_of",
    "PartUrls": ".part_urls",
    "PartUrlsUrls": ".part_urls_urls",
    "PresignedUrls": ".presigned_urls",
    "PresignedUrlsUrls": ".presigned_urls_urls",
    "Run": ".run",
    "RunFail": ".run_fail",
    "RunList": ".run_list",
    "RunStart": ".run_start",
    "Scope": ".scope",
    "ScopeList": ".scope_list",
    "SearchFilters": ".search_filters",
    "SearchRequest": ".search_request",
    "SearchResponse": ".search_response",
    "SearchResult": ".search_result",
    "StoredPart": ".stored_part",
    "TentativeLink": ".tentative_link",
    "TentativeLinkList": ".tentative_link_list",
    "UpstreamRetraction": ".upstream_retraction",
    "UpstreamRetractions": ".upstream_retractions",
    "Variation": ".variation",
    "VariationConfig": ".variation_config",
    "VariationConfigAccelerateConfigJsonType0": ".variation_config_accelerate_config_json_type_0",
    "VariationConfigConfigJson": ".variation_config_config_json",
    "VariationConfigLaunchConfigType0": ".variation_config_launch_config_type_0",
    "VariationCreate": ".variation_create",
    "VariationLaunchConfigType0": ".variation_launch_config_type_0",
    "VariationRetract": ".variation_retract",
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
    "AssetCreatedUploadUrlsType0",
    "AssetDeleted",
    "AssetDownloadUrlsType0",
    "AssetFinalize",
    "AssetFlag",
    "AssetList",
    "AssetPage",
    "AssetPresign",
    "AssetReject",
    "CompletedPart",
    "ComponentDigest",
    "Error",
    "ErrorDetailsType0",
    "Experiment",
    "ExperimentCommit",
    "ExperimentCommitTentativeLinks",
    "ExperimentCreate",
    "ExperimentCreated",
    "ExperimentDeleted",
    "ExperimentDetail",
    "ExperimentList",
    "ExperimentRetract",
    "ExperimentRetracted",
    "FreeForm",
    "InputLinkCreate",
    "InputsAdd",
    "InputUnlinked",
    "Lineage",
    "LineageNode",
    "MultipartComplete",
    "MultipartCompleted",
    "MultipartParts",
    "MultipartPresign",
    "MultipartStart",
    "MultipartUpload",
    "OutputOf",
    "PartUrls",
    "PartUrlsUrls",
    "PresignedUrls",
    "PresignedUrlsUrls",
    "Run",
    "RunFail",
    "RunList",
    "RunStart",
    "Scope",
    "ScopeList",
    "SearchFilters",
    "SearchRequest",
    "SearchResponse",
    "SearchResult",
    "StoredPart",
    "TentativeLink",
    "TentativeLinkList",
    "UpstreamRetraction",
    "UpstreamRetractions",
    "Variation",
    "VariationConfig",
    "VariationConfigAccelerateConfigJsonType0",
    "VariationConfigConfigJson",
    "VariationConfigLaunchConfigType0",
    "VariationCreate",
    "VariationLaunchConfigType0",
    "VariationRetract",
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
