"""Installs the shipped default recovery protocol, version 2: version 1 plus "When to get help" (the warning signs by
tier in plain words, with the new warning signs of red-flag rule set 2). Frozen like version 1: editing
recovery.content.protocol_default makes version 3, in a migration of its own.

New procedures of clinics without their own protocol start on the newest default version (recovery.services.
protocol_current); existing procedures keep theirs, and a clinic's own copy is not touched.
"""

from django.db import migrations

VERSION = 2
NAME = 'MILD standard recovery'
CHANGE_NOTE = "Version 2, the product default: adds 'When to get help', the warning signs by tier in plain words, with the new warning signs (a wound bleeding through its dressing, a possible spinal fluid leak, new numbness, tingling or weakness in a leg however slowly it came on). Phases follow published MILD recovery guidance; the follow-up schedule (6 months, 1 year, 2 years, optional 3 months) follows the MiDAS ENCORE trial. Clinics can edit their copy."

PHASES = [{'key': 'procedure_day',
  'title': 'Procedure day',
  'start_day': 0,
  'end_day': 0,
  'summary': 'Today is for rest, so the small wound on your back can start to heal.',
  'instructions': ['Have someone drive you home.',
                   'Rest for the rest of the day.',
                   'Short walks around the house, such as to the bathroom, are fine.',
                   'Get up slowly. Sit on the edge of the bed for a moment before you stand.',
                   'Take your pain medicine the way your clinic told you.',
                   'Keep the dressing clean and dry.',
                   'Watch for the warning signs your clinic gave you.'],
  'avoid': ['Do not lift anything heavy, like shopping bags or a laundry basket.',
            'Do not bend down deeply or twist your back.',
            'Do not do housework, exercise or sport today.',
            'Do not drive today.',
            'Do not take a bath, swim or use a hot tub.']},
 {'key': 'first_days',
  'title': 'The first days',
  'start_day': 1,
  'end_day': 6,
  'summary': 'Start light activity again, a little more each day; most people are back to daily life within a '
             'week.',
  'instructions': ['Take short, gentle walks a few times a day.',
                   'Go back to light tasks, like making a drink or getting dressed, when you feel ready.',
                   'Some soreness, bruising or swelling around the wound is common for a few days.',
                   'For soreness, you can take the pain medicine your clinic suggested.',
                   "Keep the wound clean and dry. Follow your clinic's advice about showers and dressings.",
                   'Use your walking stick or frame if you normally do.',
                   'Fill in your daily check-in, so your care team knows how you are.'],
  'avoid': ['Do not lift anything heavy.',
            'Do not bend down deeply or twist your back.',
            'Do not soak the wound: no baths, swimming or hot tubs yet.',
            'Do not drive while you take medicine that makes you sleepy.',
            'Do not sit or lie still for hours. Get up and move a little every hour.',
            'Do not push on if an activity causes sharp pain.']},
 {'key': 'weeks_1_3',
  'title': 'Weeks 1 to 3',
  'start_day': 7,
  'end_day': 20,
  'summary': 'Build up slowly over the next two weeks, with longer walks and gentle stretches.',
  'instructions': ['Walk a little longer as the days go by.',
                   'Do your gentle stretches every day.',
                   'Go back to your normal daily tasks and light housework.',
                   'Change position often. Do not stay sitting or standing for too long.',
                   'About 2 weeks after your procedure, we will ask you to fill in your first progress check.'],
  'avoid': ['Do not lift anything heavy yet.',
            'Do not bend down deeply or twist your back.',
            'Do not swim or take a bath until the wound has fully healed.',
            'Do not play sports like golf or tennis yet.',
            'Do not keep doing anything that makes your pain much worse.']},
 {'key': 'weeks_3_8',
  'title': 'Weeks 3 to 8',
  'start_day': 21,
  'end_day': 55,
  'summary': 'Keep building up; most people notice a clear improvement in their symptoms by 6 to 8 weeks.',
  'instructions': ['Keep walking every day, and slowly go a bit further.',
                   'Start the strengthening exercises in your plan.',
                   'Once the wound has fully healed, you can walk or exercise in a pool.',
                   'Ask your clinic whether physical therapy would help you.',
                   'About 6 weeks after your procedure, we will ask you to fill in your second progress check.'],
  'avoid': ['Do not lift heavy things until your clinic says it is OK.',
            'Do not do deep bending, running or jumping.',
            'Do not rush. If an exercise hurts more than usual, go back to an easier level.']},
 {'key': 'long_term',
  'title': 'Staying well',
  'start_day': 56,
  'end_day': None,
  'summary': 'Stay active to keep your progress; we will check in with you from time to time for 2 years.',
  'instructions': ['Keep walking and doing your exercises on most days.',
                   'Slowly go back to hobbies you enjoy, like gardening or golf, if your clinic agrees.',
                   'When lifting, bend your knees and keep the load close to your body.',
                   'Fill in your follow-up checks when we ask. They show how you are doing over time.',
                   'If your old leg or back symptoms come back, tell your clinic. The procedure can sometimes be '
                   'repeated.'],
  'avoid': ['Do not stop being active. Long rest can bring back stiffness and weakness.',
            'Do not ignore new leg pain, numbness or weakness. Tell your clinic.']}]

MILESTONES = [{'key': 'weeks_2_3',
  'title': '2 to 3 week progress check',
  'kind': 'milestone',
  'open_day': 14,
  'target_day': 14,
  'close_day': 21,
  'assessments': ['pain', 'odi', 'zcq', 'tolerance'],
  'optional': False,
  'enabled': True,
  'patient_text': 'It is about 2 weeks since your procedure. Please fill in your first progress check. It asks '
                  'about your pain, your daily life, and how long you can stand and walk. It takes about 10 '
                  'minutes. Your answers help your care team see how you are healing.'},
 {'key': 'weeks_6_8',
  'title': '6 to 8 week progress check',
  'kind': 'milestone',
  'open_day': 42,
  'target_day': 42,
  'close_day': 56,
  'assessments': ['pain', 'odi', 'zcq', 'tolerance'],
  'optional': False,
  'enabled': True,
  'patient_text': 'It is about 6 weeks since your procedure. This is when most people notice a clear change. '
                  'Please fill in your progress check. It takes about 10 minutes. Your care team will look at your '
                  'answers.'},
 {'key': 'month_3',
  'title': '3 month follow-up',
  'kind': 'follow_up',
  'open_day': 76,
  'target_day': 90,
  'close_day': 104,
  'assessments': ['pain', 'odi', 'zcq', 'tolerance'],
  'optional': True,
  'enabled': False,
  'patient_text': 'It is about 3 months since your procedure. Please fill in your follow-up check. It takes about '
                  '10 minutes. It helps your care team see how you are doing.'},
 {'key': 'month_6',
  'title': '6 month follow-up',
  'kind': 'follow_up',
  'open_day': 168,
  'target_day': 182,
  'close_day': 210,
  'assessments': ['pain', 'odi', 'zcq', 'tolerance'],
  'optional': False,
  'enabled': True,
  'patient_text': 'It is about 6 months since your procedure. Please fill in your follow-up check. It takes about '
                  '10 minutes. It helps your care team see how you are doing.'},
 {'key': 'year_1',
  'title': '1 year follow-up',
  'kind': 'follow_up',
  'open_day': 335,
  'target_day': 365,
  'close_day': 395,
  'assessments': ['pain', 'odi', 'zcq', 'tolerance'],
  'optional': False,
  'enabled': True,
  'patient_text': 'It is about a year since your procedure. Please fill in your follow-up check. It takes about 10 '
                  'minutes. It shows how you are doing over the longer term.'},
 {'key': 'year_2',
  'title': '2 year follow-up',
  'kind': 'follow_up',
  'open_day': 700,
  'target_day': 730,
  'close_day': 760,
  'assessments': ['pain', 'odi', 'zcq', 'tolerance'],
  'optional': False,
  'enabled': True,
  'patient_text': 'It is about 2 years since your procedure. This is your last follow-up check. It takes about 10 '
                  'minutes. Thank you for helping your care team follow your recovery.'}]

WHEN_TO_GET_HELP = {'title': 'When to get help',
 'tiers': [{'tier': 'emergency',
            'heading': 'Call the emergency number now, or go to the emergency department, if:',
            'signs': ['You cannot control your bladder or bowels, or you cannot pass urine.',
                      'You feel numb between your legs or around your bottom.',
                      'One or both legs suddenly become weak, or get weaker quickly.',
                      'You have chest pain, or you suddenly cannot catch your breath.'],
            'note': 'Do not drive yourself. Tell them you recently had a MILD procedure on your lower back.'},
           {'tier': 'urgent',
            'heading': 'Call your clinic today if:',
            'signs': ['You have a temperature above 38.0 °C (100.4 °F), or chills.',
                      'The wound is red, hot or swollen, or leaks cloudy or bad-smelling fluid.',
                      'The wound still leaks any fluid 5 or more days after your procedure.',
                      'The wound bleeds through the dressing.',
                      'Clear, watery fluid comes from the wound.',
                      'You have a headache that gets worse when you sit or stand, and better when you lie down.',
                      'You have new numbness, tingling or weakness in a leg or foot, even if it came on slowly.',
                      'Your calf hurts or is swollen, or one leg is more swollen than the other.',
                      'Your pain medicine is not controlling your pain.',
                      'You have had a fall.'],
            'note': 'If you cannot reach your clinic within 24 hours, or you feel worse, go to the emergency '
                    'department.'}]}


def install_default_protocol_v2(apps, schema_editor):
    Protocol = apps.get_model("recovery", "Protocol")
    ProtocolPhase = apps.get_model("recovery", "ProtocolPhase")
    ProtocolMilestone = apps.get_model("recovery", "ProtocolMilestone")
    if Protocol.objects.filter(clinic__isnull=True, version=VERSION).exists():
        return
    based_on = Protocol.objects.filter(clinic__isnull=True, version=VERSION - 1).first()
    protocol = Protocol.objects.create(
        clinic=None,
        name=NAME,
        version=VERSION,
        based_on=based_on,
        change_note=CHANGE_NOTE,
        when_to_get_help=WHEN_TO_GET_HELP,
    )
    ProtocolPhase.objects.bulk_create(ProtocolPhase(protocol=protocol, **phase) for phase in PHASES)
    ProtocolMilestone.objects.bulk_create(ProtocolMilestone(protocol=protocol, **m) for m in MILESTONES)


def uninstall(apps, schema_editor):
    apps.get_model("recovery", "Protocol").objects.filter(
        clinic__isnull=True, version=VERSION, procedures__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("recovery", "0006_rule_set_version_when_to_get_help")]

    operations = [migrations.RunPython(install_default_protocol_v2, uninstall)]
