app_name = "evidence"
urlpatterns = []
