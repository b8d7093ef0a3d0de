"""Installs the shipped default preparation checklist, version 1, with its content frozen here: editing
journey.content.preparation_default makes version 2, in a migration of its own (tests/journey/test_content.py).
"""

from django.db import migrations

VERSION = 1
NAME = 'MILD preparation checklist'
CHANGE_NOTE = 'Version 1, the product default: blood thinners as the clinic instructs, blood sugar for people with diabetes, fasting if sedation is planned, a driver and someone at home the first night, what to bring, arrival time.'

ITEMS = [{'key': 'medicines_list',
  'title': 'Tell your clinic about all your medicines',
  'text': 'Make a list of every medicine you take, including vitamins and herbal remedies. Tell your clinic, '
          'especially about medicines that thin the blood, such as aspirin, clopidogrel, warfarin or apixaban. Do '
          'not stop any medicine unless your clinic tells you to.',
  'applies': 'everyone',
  'due_days_before': 10},
 {'key': 'blood_sugar',
  'title': 'Keep your blood sugar steady',
  'text': 'Good blood sugar control before and after the procedure lowers the risk of an infection. Check your blood '
          'sugar as usual and take your diabetes medicine as your clinic tells you. Ask your clinic what to do with '
          'your diabetes medicine on the day itself.',
  'applies': 'diabetes',
  'due_days_before': 7},
 {'key': 'driver',
  'title': 'Arrange a lift home',
  'text': 'You must not drive yourself home after the procedure. Ask a family member or friend to take you home, or '
          'book a taxi with someone to go with you.',
  'applies': 'everyone',
  'due_days_before': 3},
 {'key': 'someone_at_home',
  'title': 'Have someone stay with you the first night',
  'text': 'Ask someone to stay with you on the first night after the procedure. They can help if you need to get up '
          'or feel unwell.',
  'applies': 'everyone',
  'due_days_before': 3},
 {'key': 'what_to_bring',
  'title': 'Pack what to bring',
  'text': 'Bring your list of medicines, your photo ID and your insurance card. Bring your glasses or hearing aids, '
          'and your walking stick or frame if you use one. Wear loose, comfortable clothes and flat shoes. Leave '
          'jewellery and valuables at home.',
  'applies': 'everyone',
  'due_days_before': 1},
 {'key': 'fasting',
  'title': 'Stop eating and drinking when your clinic says',
  'text': "You will have light sedation to help you relax, so your stomach must be empty. Follow your clinic's "
          'instructions on when to stop eating and drinking. If you take medicines in the morning, ask your clinic '
          'whether to take them with a small sip of water.',
  'applies': 'sedation',
  'due_days_before': 0},
 {'key': 'arrival',
  'title': 'Know when to arrive',
  'text': 'Please arrive at {arrival_time} on the day of your procedure. Allow time for traffic and parking.',
  'text_pending': 'Your clinic will tell you what time to arrive. Check back here for the time.',
  'applies': 'arrival',
  'due_days_before': 0}]

MEDICINE_ITEM = {'title': '{medicine}: stop on {stop_on}',
 'text': 'Your clinic asks you to stop taking {medicine} from {stop_on}. Start taking it again on {restart_on}. If '
         'you are not sure, call your clinic before you change anything.',
 'text_no_restart': 'Your clinic asks you to stop taking {medicine} from {stop_on}. Your clinic will tell you when '
                    'to start taking it again. If you are not sure, call your clinic before you change anything.'}

def install(apps, schema_editor):
    PreparationProtocol = apps.get_model("journey", "PreparationProtocol")
    if PreparationProtocol.objects.filter(clinic__isnull=True, version=VERSION).exists():
        return
    PreparationProtocol.objects.create(
        clinic=None, name=NAME, version=VERSION, change_note=CHANGE_NOTE, items=ITEMS, medicine_item=MEDICINE_ITEM
    )


def uninstall(apps, schema_editor):
    apps.get_model("journey", "PreparationProtocol").objects.filter(clinic__isnull=True, version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("journey", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
