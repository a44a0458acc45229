"""/api/v1/: the JSON API, its OpenAPI schema at /api/v1/openapi.json.

`courses.api.base` holds the `NinjaAPI` and what every area shares; each area is a router.
"""

from courses.api.base import api
from courses.api.cohorts import router as cohorts_router
from courses.api.labs import router as labs_router
from courses.api.learning import router as learning_router
from courses.api.me import router as me_router
from courses.api.offline import router as offline_router
from courses.api.search import router as search_router

api.add_router("", learning_router)
api.add_router("", labs_router)
api.add_router("", me_router)
api.add_router("", offline_router)
api.add_router("", search_router)
api.add_router("/cohorts", cohorts_router)

__all__ = ["api"]
