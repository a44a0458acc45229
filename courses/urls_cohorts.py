from django.urls import path

from courses.views import cohorts

app_name = "cohorts"

urlpatterns = [
    path("cohorts/", cohorts.cohort_list, name="list"),
    path("cohorts/new/<slug:organization>/", cohorts.cohort_create, name="create"),
    path("cohorts/<int:cohort_id>/", cohorts.cohort_detail, name="detail"),
    path("cohorts/<int:cohort_id>/edit/", cohorts.cohort_edit, name="edit"),
    path("cohorts/<int:cohort_id>/enrolment/", cohorts.cohort_enrolment, name="enrolment"),
    path("cohorts/<int:cohort_id>/enrolment/rotate/", cohorts.cohort_rotate, name="rotate"),
    path("cohorts/<int:cohort_id>/uploads/", cohorts.upload_create, name="upload-create"),
    path("cohorts/<int:cohort_id>/uploads/<int:upload_id>/", cohorts.upload_detail,
         name="upload"),
    path("cohorts/<int:cohort_id>/uploads/<int:upload_id>/apply/", cohorts.upload_apply,
         name="upload-apply"),
    path("cohorts/<int:cohort_id>/members/<int:user_id>/", cohorts.member_detail,
         name="member"),
    path("cohorts/<int:cohort_id>/members/<int:user_id>/remove/", cohorts.member_remove,
         name="member-remove"),
    path("cohorts/<int:cohort_id>/export/", cohorts.export_create, name="export-create"),
    path("cohorts/<int:cohort_id>/exports/<int:export_id>/", cohorts.export_detail,
         name="export"),
    path("cohorts/<int:cohort_id>/exports/<int:export_id>/download/", cohorts.export_download,
         name="export-download"),
    path("cohorts/<int:cohort_id>/messages/", cohorts.cohort_messages, name="messages"),
    path("join/", cohorts.join_by_code, name="join"),
    path("join/<str:token>/", cohorts.join_by_invite, name="join-invite"),
]  # fmt: skip
