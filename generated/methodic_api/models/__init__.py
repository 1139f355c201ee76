"""Contains all the data models used in inputs/outputs"""

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
from .component_digest import ComponentDigest
from .error import Error
from .error_details_type_0 import ErrorDetailsType0
from .experiment import Experiment
from .experiment_commit import ExperimentCommit
from .experiment_commit_tentative_links import ExperimentCommitTentativeLinks
from .experiment_create import ExperimentCreate
from .experiment_deleted import ExperimentDeleted
from .experiment_detail import ExperimentDetail
from .experiment_list import ExperimentList
from .experiment_retract import ExperimentRetract
from .experiment_retracted import ExperimentRetracted
from .free_form import FreeForm
from .input_link_create import InputLinkCreate
from .input_unlinked import InputUnlinked
from .lineage import Lineage
from .lineage_node import LineageNode
from .output_of import OutputOf
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
from .variation import Variation
from .variation_config import VariationConfig
from .variation_config_accelerate_config_json_type_0 import VariationConfigAccelerateConfigJsonType0
from .variation_config_config_json import VariationConfigConfigJson
from .variation_config_launch_config_type_0 import VariationConfigLaunchConfigType0
from .variation_create import VariationCreate
from .variation_launch_config_type_0 import VariationLaunchConfigType0
from .variation_summary import VariationSummary

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
    "ComponentDigest",
    "Error",
    "ErrorDetailsType0",
    "Experiment",
    "ExperimentCommit",
    "ExperimentCommitTentativeLinks",
    "ExperimentCreate",
    "ExperimentDeleted",
    "ExperimentDetail",
    "ExperimentList",
    "ExperimentRetract",
    "ExperimentRetracted",
    "FreeForm",
    "InputLinkCreate",
    "InputUnlinked",
    "Lineage",
    "LineageNode",
    "OutputOf",
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
    "Variation",
    "VariationConfig",
    "VariationConfigAccelerateConfigJsonType0",
    "VariationConfigConfigJson",
    "VariationConfigLaunchConfigType0",
    "VariationCreate",
    "VariationLaunchConfigType0",
    "VariationSummary",
)
