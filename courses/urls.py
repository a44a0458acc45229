from django.urls import path

from courses.views import catalog, certificates, glossary, holder_keys, labs, learning
from courses.views.previews import preview_link
from courses.views.translations import translations_page

app_name = "courses"

urlpatterns = [
    path("courses/", catalog.catalog_page, name="catalog"),
    path("dashboard/", learning.dashboard_page, name="dashboard"),
    path("glossary/", glossary.glossary_index_page, name="glossary-index"),
    path("verify/<uuid:public_id>/", certificates.verify, name="verify"),
    path("verify/<uuid:public_id>/language/", certificates.certificate_language,
         name="certificate-language"),
    path("verify/<uuid:public_id>/holder-challenge/", holder_keys.holder_challenge,
         name="holder-challenge"),
    path("verify/<uuid:public_id>/holder-key/", holder_keys.holder_bind, name="holder-key"),
    path("courses/<slug:slug>/", learning.course_page, name="course-detail"),
    path("courses/<slug:slug>/enroll/", learning.enroll, name="enroll"),
    path("courses/<slug:slug>/translations/", translations_page, name="translations"),
    path("courses/<slug:slug>/glossary/<slug:term>/", glossary.glossary_term_page,
         name="glossary-term"),
    path("courses/<slug:slug>/preview/<int:revision>/", preview_link(learning.course_page),
         name="preview-course"),
    path("courses/<slug:slug>/preview/<int:revision>/glossary/<slug:term>/",
         preview_link(glossary.glossary_term_page), name="preview-glossary-term"),
    path("courses/<slug:slug>/preview/<int:revision>/<slug:key>/",
         preview_link(learning.item_page), name="preview-item"),
    path("courses/<slug:slug>/<slug:key>/", learning.item_page, name="item-detail"),
    path("courses/<slug:slug>/<slug:key>/complete/", learning.item_complete,
         name="item-complete"),
    path("courses/<slug:slug>/<slug:key>/attempts/", learning.quiz_submit, name="quiz-submit"),
    path("courses/<slug:slug>/<slug:key>/lab/", labs.lab_submit, name="lab-submit"),
    path("courses/<slug:slug>/<slug:key>/challenge/", labs.lab_challenge, name="lab-challenge"),
]  # fmt: skip
