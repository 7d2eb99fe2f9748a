from rest_framework.routers import SimpleRouter

from motcua.api.views import AgencyViewSet, ProcedureViewSet, SectorViewSet

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("agencies", AgencyViewSet, basename="agency")
router.register("sectors", SectorViewSet, basename="sector")
router.register("procedures", ProcedureViewSet, basename="procedure")

urlpatterns = router.urls
