"""Installs the shipped default education library, version 1, with its articles frozen here: editing
journey.content.education_default makes version 2, in a migration of its own (tests/journey/test_content.py).
"""

from django.db import migrations

VERSION = 1
NAME = "MILD patient guide"
CHANGE_NOTE = "Version 1, the product default: what MILD is, the day itself, what you may feel after, the recovery timeline, physical therapy, everyday life, repeating the procedure, how long the benefit lasts, and when to get help."

ARTICLES = [
    {
        "key": "what_is_mild",
        "title": "What is MILD, and who is it for?",
        "summary": "A small procedure that makes more room for the nerves in your lower back.",
        "body": [
            "Lumbar spinal stenosis means the channel in your lower back that holds the nerves has become narrow. "
            "Often a thick band of tissue, called a ligament, presses on the nerves.",
            "This can cause pain, numbness, tingling or weakness in your back and legs. It is usually worse when you "
            "stand or walk, and better when you sit down or lean forward.",
            "MILD stands for Minimally Invasive Lumbar Decompression. The doctor makes a very small cut in your back. "
            "Through it, the doctor removes a little of the thick ligament and a small piece of bone. This makes more "
            "room for the nerves.",
            "The doctor uses live X-ray pictures to guide the tools. No implant is left in your body, and you do not "
            "need stitches in most cases.",
            "MILD is for people whose narrowing has been seen on an MRI or CT scan. Other treatments, such as "
            "physical therapy, medicines or injections, did not help them enough.",
        ],
        "stages": ["before"],
    },
    {
        "key": "the_day",
        "title": "What happens on the day",
        "summary": "About an hour in the procedure room, and home the same day.",
        "body": [
            "You will lie on your front. The doctor numbs the skin and tissue of your lower back with a local "
            "anaesthetic. Some people also have light sedation to help them relax. You stay awake or lightly asleep.",
            "The procedure itself takes about 30 to 60 minutes. You may feel some pressure, but it should not hurt.",
            "Afterwards you rest for a short while, and the team checks how you are. Most people go home the same day.",
            "You cannot drive yourself home. Someone needs to take you home and, if possible, stay with you the first "
            "night.",
        ],
        "stages": ["before", "procedure_day"],
    },
    {
        "key": "after_the_procedure",
        "title": "What you may feel afterwards",
        "summary": "Some soreness at the small wound is normal for a few days.",
        "body": [
            "For a few days you may have soreness, bruising or a little swelling where the small cut was made. This "
            "is common.",
            "Pain medicine from the chemist, or the medicine your clinic suggested, usually helps. Follow the dose on "
            "the packet or the one your clinic gave you.",
            "Keep the small wound clean and dry, as your clinic told you.",
            "Rest on the day of the procedure. From the next day, short gentle walks help you recover.",
        ],
        "stages": ["procedure_day", "first_weeks"],
    },
    {
        "key": "recovery_timeline",
        "title": "Your recovery, week by week",
        "summary": "Light activity within days, and most people feel clearly better by 6 to 8 weeks.",
        "body": [
            "The first few days: rest on the first day, then start light activities again, like short walks and "
            "getting dressed.",
            "The first week: most people are back to their normal daily activities within about a week.",
            "Weeks 2 and 3: slowly do a little more each day, such as walking a bit further.",
            "Weeks 6 to 8: most people notice a clear improvement in their symptoms by this time. Everyone heals at "
            "their own pace, so do not worry if you need a little longer.",
            "We will ask you a few questions at 2 to 3 weeks and again at 6 to 8 weeks.",
        ],
        "stages": ["procedure_day", "first_weeks", "recovering"],
    },
    {
        "key": "physical_therapy",
        "title": "Physical therapy, and why it helps",
        "summary": "Gentle stretches, strengthening and walking help your back get stronger.",
        "body": [
            "Not everyone needs physical therapy after MILD, but many people find it helps.",
            "There are three kinds of exercise. Gentle stretching keeps you flexible. Strengthening supports your "
            "lower back. Low-impact exercise, such as walking, a stationary bike or exercise in water, builds "
            "stamina.",
            "Start gently and build up slowly, week by week. Avoid heavy lifting and deep bending in the first weeks.",
            "If an exercise makes your pain much worse, stop and try an easier level. Ask your clinic if you are not "
            "sure.",
        ],
        "stages": ["first_weeks", "recovering"],
    },
    {
        "key": "everyday_life",
        "title": "Driving, work, travel and gardening",
        "summary": "When you can get back to the things you enjoy.",
        "body": [
            "Driving: do not drive on the day of the procedure, or while you take medicine that makes you sleepy. "
            "Drive again when you can turn and brake without pain, and your clinic agrees.",
            "Work: many people with light or desk work go back within a week or two. For heavy work, ask your clinic.",
            "Travel: short trips are fine once you feel well. On long journeys, stop or stand up every hour to move "
            "about.",
            "Walking: walk a little every day and slowly go further.",
            "Gardening: start with light tasks. Wait for your clinic's advice before heavy digging, lifting or "
            "bending for a long time.",
        ],
        "stages": ["first_weeks", "recovering"],
    },
    {
        "key": "can_it_be_repeated",
        "title": "Can MILD be done again?",
        "summary": "Yes, if your symptoms come back.",
        "body": [
            "If your symptoms come back, MILD can be done again. This can be at the same place in your back or at "
            "another one.",
            "Tell your clinic if your pain, numbness or walking get worse again. They will look at what is best for "
            "you.",
        ],
        "stages": ["long_term"],
    },
    {
        "key": "how_long_it_lasts",
        "title": "How long does the benefit last?",
        "summary": "In studies, people were followed for 2 years.",
        "body": [
            "In the main study of MILD, patients were followed for 2 years. On average, their pain was still clearly "
            "lower after 2 years. Daily activities were still clearly easier than before the procedure.",
            "Everyone is different. Keeping active, with regular walks and your exercises, helps you keep the benefit.",
            "We will ask you a few questions at 6 months, 1 year and 2 years. Your answers show your care team how "
            "you are doing.",
        ],
        "stages": ["recovering", "long_term"],
    },
    {
        "key": "when_to_get_help",
        "title": "When to get help",
        "summary": "The warning signs, and whom to call.",
        "body": [
            "Go to the emergency department now, or call your local emergency number, if any of these happen.",
            "You cannot control your bladder or bowels, or you cannot pass urine. You feel numb between your legs or "
            "around your bottom. A leg suddenly becomes weak. You have chest pain or suddenly find it hard to "
            "breathe.",
            "Call your clinic within 24 hours if any of these happen.",
            "You have a fever above 38.0 C (100.4 F) or chills. The wound is red, hot, swollen or leaking. Clear, "
            "watery fluid comes from the wound. You have a headache that is worse when you sit or stand. A leg "
            "becomes newly numb, tingly or weak. Your calf hurts or your leg swells. Your pain medicine does not "
            "help. You have had a fall.",
            "The Help screen of this app has buttons to call your clinic and the emergency number.",
        ],
        "stages": ["before", "procedure_day", "first_weeks", "recovering"],
    },
]


def install(apps, schema_editor):
    EducationLibrary = apps.get_model("journey", "EducationLibrary")
    EducationArticle = apps.get_model("journey", "EducationArticle")
    if EducationLibrary.objects.filter(clinic__isnull=True, version=VERSION).exists():
        return
    library = EducationLibrary.objects.create(clinic=None, name=NAME, version=VERSION, change_note=CHANGE_NOTE)
    EducationArticle.objects.bulk_create(
        EducationArticle(library=library, position=n, **article) for n, article in enumerate(ARTICLES)
    )


def uninstall(apps, schema_editor):
    """Remove the shipped library unless a patient has read one of its articles. Its rows are deleted by id, without
    Django's delete collector: when many migrations are unapplied at once, the historical models handed to this
    function may have been rendered again, and the collector then refuses their own instances."""
    EducationLibrary = apps.get_model("journey", "EducationLibrary")
    EducationArticle = apps.get_model("journey", "EducationArticle")
    ids = list(
        EducationLibrary.objects.filter(clinic__isnull=True, version=VERSION)
        .exclude(articles__reads__isnull=False)
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    for model, column in ((EducationArticle, "library_id"), (EducationLibrary, "id")):
        schema_editor.execute(
            f"DELETE FROM {schema_editor.quote_name(model._meta.db_table)} WHERE {column} = ANY(%s)", [ids]
        )


class Migration(migrations.Migration):
    dependencies = [("journey", "0002_default_preparation_v1")]

    operations = [migrations.RunPython(install, uninstall)]
