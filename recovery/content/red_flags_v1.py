# ruff: noqa: E501  (frozen text, kept exactly as released)
"""Red-flag rule set version 1, frozen: the questions, the instructions and the red-flag alert rules as released
(as rule set "2026.11.2"). Alerts raised before version 2 record version 1. Never edit: a change is a new version in
recovery.content.red_flags. Kept so that old check-ins can be replayed and read in the words the patient was asked.
"""

from __future__ import annotations

from typing import Final

from recovery.content.protocol_default import AlertRule, RedFlagQuestion, TierInstruction

# fmt: off

QUESTIONS: Final[tuple[RedFlagQuestion, ...]] = (
    RedFlagQuestion(key='bladder_bowel_control', tier='emergency',
        question='Since your last check-in, have you lost control of your bladder or bowels, or been unable to pass urine?',
        help_text='This means wetting or soiling yourself without warning, or needing to pass urine but nothing comes.'),
    RedFlagQuestion(key='saddle_numbness', tier='emergency',
        question='Have you had new numbness between your legs or around your bottom?',
        help_text='This is the area that would touch a bicycle seat. It may feel numb, dead or strange to touch.'),
    RedFlagQuestion(key='sudden_leg_weakness', tier='emergency',
        question='Has one or both of your legs suddenly become weak, or is leg weakness getting worse quickly?',
        help_text='For example, your foot drags or slaps down, or your leg gives way when you stand.'),
    RedFlagQuestion(key='chest_pain_breathless', tier='emergency',
        question='Have you had chest pain, or suddenly become short of breath?',
        help_text='Short of breath means you cannot catch your breath, even when you rest.'),
    RedFlagQuestion(key='fever_chills', tier='urgent',
        question='Have you had a temperature above 38.0 °C (100.4 °F), or chills (shivering and feeling very cold)?',
        help_text='If you have a thermometer, check your temperature when you feel hot or shivery.'),
    RedFlagQuestion(key='wound_problem', tier='urgent',
        question='Is the small wound on your back red, hot or swollen, or leaking cloudy or bad-smelling fluid? Or is it still leaking any fluid 5 or more days after your procedure?',
        help_text='Mild soreness and bruising in the first few days is common. We mean redness, heat or swelling that is getting worse.'),
    RedFlagQuestion(key='new_numbness_tingling', tier='urgent',
        question='Have you had new numbness or tingling in your legs or feet?',
        help_text='New means you did not have it before, or it has spread to a new place.'),
    RedFlagQuestion(key='calf_pain_swelling', tier='urgent',
        question='Do you have pain or swelling in the calf, or is one leg more swollen than the other?',
        help_text='The calf is the back of your lower leg. This can be a sign of a blood clot, so it needs checking.'),
    RedFlagQuestion(key='pain_uncontrolled', tier='urgent',
        question='Is your pain so bad that the medicine your clinic gave you is not helping?',
        help_text=None),
    RedFlagQuestion(key='fall', tier='urgent',
        question='Have you had a fall since your last check-in?',
        help_text='Please tell us even if you do not think you were hurt.'),
)

TIER_INSTRUCTIONS: Final[dict[str, TierInstruction]] = {
    'emergency': TierInstruction(tier='emergency', title='Get emergency help now',
        text='Call your local emergency number now, or have someone take you to the nearest emergency department. Do not drive yourself. Do not wait for the clinic to call you. Tell them you recently had a MILD procedure on your lower back.'),
    'urgent': TierInstruction(tier='urgent', title='Call your clinic today',
        text='Please call {clinic_name} today on {clinic_phone}. Tell them what you told us here. If you cannot reach them within 24 hours, or you feel worse, go to the emergency department. You can also call your local emergency number.'),
}

# The alert rules of the red-flag questions (the watch rules of version 1 are unchanged in version 2).
RED_FLAG_RULES: Final[tuple[AlertRule, ...]] = (
    AlertRule(key='bladder_bowel_control', title='Bladder or bowel dysfunction', tier='emergency',
        explanation='Patient reported loss of bladder or bowel control or urinary retention. Possible cauda equina syndrome; the patient was told to go to the emergency department now.'),
    AlertRule(key='saddle_numbness', title='Saddle anaesthesia', tier='emergency',
        explanation='Patient reported new numbness in the groin/saddle area. Possible cauda equina syndrome; the patient was told to go to the emergency department now.'),
    AlertRule(key='sudden_leg_weakness', title='Sudden or progressive leg weakness', tier='emergency',
        explanation='Patient reported sudden new or rapidly worsening weakness in one or both legs. Possible acute nerve compression (e.g. epidural haematoma); the patient was told to go to the emergency department now.'),
    AlertRule(key='chest_pain_breathless', title='Chest pain or sudden breathlessness', tier='emergency',
        explanation='Patient reported chest pain or sudden shortness of breath. Possible cardiac event or pulmonary embolism; the patient was told to go to the emergency department now.'),
    AlertRule(key='fever_chills', title='Fever or chills', tier='urgent',
        explanation='Patient reported a temperature above 38.0 C (100.4 F) or chills. Possible wound or deep infection; higher risk in diabetes. The patient was told to call the clinic within 24 hours.'),
    AlertRule(key='wound_problem', title='Wound problem', tier='urgent',
        explanation='Patient reported an incision that is red, hot, swollen or draining cloudy or foul fluid, or any drainage from day 5 after the procedure. Possible infection. The patient was told to call the clinic within 24 hours.'),
    AlertRule(key='new_numbness_tingling', title='New numbness or tingling', tier='urgent',
        explanation='Patient reported new numbness or tingling in the legs or feet. Possible nerve irritation or injury, usually temporary; higher risk in older patients. The patient was told to call the clinic within 24 hours.'),
    AlertRule(key='calf_pain_swelling', title='Calf pain or leg swelling', tier='urgent',
        explanation='Patient reported calf pain or leg swelling. Rule out deep vein thrombosis. The patient was told to call the clinic within 24 hours.'),
    AlertRule(key='pain_uncontrolled', title='Pain not controlled', tier='urgent',
        explanation='Patient reported pain not controlled by the prescribed medication. Review analgesia and look for a complication. The patient was told to call the clinic within 24 hours.'),
    AlertRule(key='fall', title='Fall', tier='urgent',
        explanation='Patient reported a fall since the last check-in. Check for injury to the wound or spine and for new neurological symptoms; review fall risk. The patient was told to call the clinic within 24 hours.'),
)
# fmt: on
