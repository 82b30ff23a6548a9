"""Who may publish datasets: an operator holding the publish permission."""

from storo_platform.rbac import require

PUBLISH_PERMISSION = "directory:publish"
publisher = require(PUBLISH_PERMISSION)
