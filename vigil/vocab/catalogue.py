"""The shared vocabulary's English labels and descriptions, for the catalogue.

A shared term stores its label and description in English, Russian and
Ukrainian (``data/terms.csv``); in any other language ``Term.label`` and
``Term.help_text`` translate the English text through the catalogue, in the
context "vocabulary". Listing
the texts here makes ``makemessages`` keep them there, so the vocabulary is
translated with the rest of Vigil. A test keeps this list equal to the CSV
file: add a line here when a term is added there.
"""

from __future__ import annotations

CONTEXT = "vocabulary"


def pgettext(context: str, message: str) -> str:
    """Only marks ``message`` for makemessages (keyword ``pgettext``, with its context);
    returns it untranslated. The context keeps a term apart from the same English
    word elsewhere in the interface ("Home" the place, "Home" the menu item)."""
    return message


LABELS = [
    pgettext("vocabulary", "Sexual violence"),
    pgettext("vocabulary", "Rape"),
    pgettext("vocabulary", "Attempted rape"),
    pgettext("vocabulary", "Sexual assault (groping, unwanted touching)"),
    pgettext("vocabulary", "Forced stripping or intimate body search"),
    pgettext("vocabulary", "Sexual extortion (sex demanded for release or favours)"),
    pgettext("vocabulary", "Sexual harassment and sexual threats"),
    pgettext("vocabulary", "Physical violence"),
    pgettext("vocabulary", "Beating"),
    pgettext("vocabulary", "Torture (including during interrogation)"),
    pgettext("vocabulary", "Excessive force during arrest"),
    pgettext("vocabulary", "Death in police custody or detention"),
    pgettext("vocabulary", "Psychological violence and threats"),
    pgettext("vocabulary", "Humiliation and insults"),
    pgettext("vocabulary", "Threats of violence"),
    pgettext("vocabulary", "Death threats"),
    pgettext("vocabulary", "Threats to take away her children"),
    pgettext("vocabulary", "Intimidation and persecution"),
    pgettext("vocabulary", "Forced marriage"),
    pgettext("vocabulary", "Arbitrary detention and due process"),
    pgettext("vocabulary", "Stopped without reason"),
    pgettext("vocabulary", "Search without grounds"),
    pgettext("vocabulary", "Groundless detention or holding in custody"),
    pgettext("vocabulary", "Unjust jailing"),
    pgettext("vocabulary", "Refusal of a lawyer"),
    pgettext("vocabulary", "Not told her rights or not allowed to call anyone"),
    pgettext("vocabulary", "Forced confession"),
    pgettext("vocabulary", "Forced to give false testimony"),
    pgettext("vocabulary", "Forced to become an informant"),
    pgettext("vocabulary", "Planting drugs or evidence"),
    pgettext("vocabulary", "Fabricated case against her"),
    pgettext("vocabulary", "Fabricated case against her partner or relative"),
    pgettext("vocabulary", "Extortion, corruption and property"),
    pgettext("vocabulary", "Extortion or bribe demand"),
    pgettext("vocabulary", "Blackmail"),
    pgettext("vocabulary", "Demanding favours"),
    pgettext("vocabulary", "Theft or seizure of money or belongings"),
    pgettext("vocabulary", "Taking or withholding her documents"),
    pgettext("vocabulary", "Health and harm-reduction rights"),
    pgettext("vocabulary", "OST denied or interrupted (including withdrawal in custody)"),
    pgettext("vocabulary", "Blocking access to harm-reduction services"),
    pgettext("vocabulary", "Confiscation of syringes or naloxone"),
    pgettext("vocabulary", "Forced drug testing"),
    pgettext("vocabulary", "Forced registration as a drug user (narcology register)"),
    pgettext("vocabulary", "Medical care denied in custody"),
    pgettext("vocabulary", "Forced drug treatment or confinement"),
    pgettext("vocabulary", "Privacy and discrimination"),
    pgettext("vocabulary", "Disclosure of HIV status or drug use"),
    pgettext("vocabulary", "Photographed or filmed without consent"),
    pgettext("vocabulary", "Insults about drug use, OST, HIV or sex work"),
    pgettext("vocabulary", "Refused services because of her status"),
    pgettext("vocabulary", "Hitting with hands or feet"),
    pgettext("vocabulary", "Hitting with objects"),
    pgettext("vocabulary", "Suffocation (bag or gas mask)"),
    pgettext("vocabulary", "Choking or strangling"),
    pgettext("vocabulary", "Electric shock"),
    pgettext("vocabulary", "Forced painful positions"),
    pgettext("vocabulary", "Tied up or handcuffed painfully"),
    pgettext("vocabulary", "Burns"),
    pgettext("vocabulary", "Deprivation of basic needs"),
    pgettext("vocabulary", "No sleep"),
    pgettext("vocabulary", "No food or water"),
    pgettext("vocabulary", "No medical help"),
    pgettext("vocabulary", "Withholding OST or medicines, causing withdrawal"),
    pgettext("vocabulary", "Forced to take drugs or other substances"),
    pgettext("vocabulary", "Threats with a weapon"),
    pgettext("vocabulary", "Stripping, forced nakedness"),
    pgettext("vocabulary", "Other"),
    pgettext("vocabulary", "Physical injury"),
    pgettext("vocabulary", "Hospitalisation"),
    pgettext("vocabulary", "Psychological trauma"),
    pgettext("vocabulary", "Self-harm or suicide attempt"),
    pgettext("vocabulary", "Pregnancy loss or unwanted pregnancy"),
    pgettext("vocabulary", "HIV, TB or hepatitis treatment interrupted"),
    pgettext("vocabulary", "OST interrupted"),
    pgettext("vocabulary", "Loss of housing"),
    pgettext("vocabulary", "Loss of job or income"),
    pgettext("vocabulary", "Children taken or custody lost"),
    pgettext("vocabulary", "Criminal case or record"),
    pgettext("vocabulary", "Money or property lost"),
    pgettext("vocabulary", "Death"),
    pgettext("vocabulary", "Injured"),
    pgettext("vocabulary", "Hospitalised"),
    pgettext("vocabulary", "Still detained"),
    pgettext("vocabulary", "Released"),
    pgettext("vocabulary", "Released after paying (bribe, bail or fine)"),
    pgettext("vocabulary", "Charged, case opened"),
    pgettext("vocabulary", "Convicted"),
    pgettext("vocabulary", "Died"),
    pgettext("vocabulary", "Unknown"),
    pgettext("vocabulary", "State officials"),
    pgettext("vocabulary", "Police"),
    pgettext("vocabulary", "Patrol police"),
    pgettext("vocabulary", "Drug-control police"),
    pgettext("vocabulary", "District officer"),
    pgettext("vocabulary", "Investigator or detective"),
    pgettext("vocabulary", "Transport or metro police"),
    pgettext("vocabulary", "Detention or prison staff"),
    pgettext("vocabulary", "Other state official"),
    pgettext("vocabulary", "Health worker"),
    pgettext("vocabulary", "Private persons"),
    pgettext("vocabulary", "Partner or family member"),
    pgettext("vocabulary", "Client (sex work)"),
    pgettext("vocabulary", "Other private person"),
    pgettext("vocabulary", "Street or public place"),
    pgettext("vocabulary", "Police station"),
    pgettext("vocabulary", "Police car or van"),
    pgettext("vocabulary", "Police checkpoint"),
    pgettext("vocabulary", "Metro, station or public transport"),
    pgettext("vocabulary", "Home"),
    pgettext("vocabulary", "OST site"),
    pgettext("vocabulary", "Needle and syringe programme"),
    pgettext("vocabulary", "Hospital or clinic"),
    pgettext("vocabulary", "Pharmacy"),
    pgettext("vocabulary", "Court"),
    pgettext("vocabulary", "Detention facility (IVS, SIZO, prison)"),
    pgettext("vocabulary", "Uses drugs"),
    pgettext("vocabulary", "OST client"),
    pgettext("vocabulary", "Sex worker"),
    pgettext("vocabulary", "Living with HIV"),
    pgettext("vocabulary", "Hepatitis C"),
    pgettext("vocabulary", "Tuberculosis"),
    pgettext("vocabulary", "Pregnant"),
    pgettext("vocabulary", "Mother of minor children"),
    pgettext("vocabulary", "Homeless"),
    pgettext("vocabulary", "Migrant"),
    pgettext("vocabulary", "Internally displaced"),
    pgettext("vocabulary", "Formerly incarcerated"),
    pgettext("vocabulary", "LGBT"),
    pgettext("vocabulary", "Ethnic minority (e.g. Roma)"),
    pgettext("vocabulary", "Legal help"),
    pgettext("vocabulary", "Medical care"),
    pgettext("vocabulary", "Shelter or safe housing"),
    pgettext("vocabulary", "OST continuity"),
    pgettext("vocabulary", "Children and custody"),
    pgettext("vocabulary", "Psychological support"),
    pgettext("vocabulary", "HIV, TB or hepatitis treatment continuity"),
    pgettext("vocabulary", "Documents"),
    pgettext("vocabulary", "Legal advice"),
    pgettext("vocabulary", "Accompaniment"),
    pgettext("vocabulary", "Complaint"),
    pgettext("vocabulary", "Court case"),
    pgettext("vocabulary", "Medical documentation of injuries"),
    pgettext("vocabulary", "Psychosocial support"),
    pgettext("vocabulary", "Referral to services"),
    pgettext("vocabulary", "Shelter placement"),
    pgettext("vocabulary", "OST continuity in custody"),
    pgettext("vocabulary", "Public advocacy or media"),
    pgettext("vocabulary", "Favourable response"),
    pgettext("vocabulary", "Investigation opened"),
    pgettext("vocabulary", "Officer disciplined or moved"),
    pgettext("vocabulary", "Formal reply, nothing done"),
    pgettext("vocabulary", "Refused to accept or register the complaint"),
    pgettext("vocabulary", "Refused to open an investigation"),
    pgettext("vocabulary", "Denied the event"),
    pgettext("vocabulary", "Obstruction or pressure on her"),
    pgettext("vocabulary", "No response"),
    pgettext("vocabulary", "Resolved fully"),
    pgettext("vocabulary", "Resolved partially"),
    pgettext("vocabulary", "Not resolved"),
    pgettext("vocabulary", "Withdrawn by the client"),
    pgettext("vocabulary", "Lost contact"),
    pgettext("vocabulary", "The victim herself"),
    pgettext("vocabulary", "Witness"),
    pgettext("vocabulary", "Relative or partner"),
    pgettext("vocabulary", "Outreach worker or peer"),
    pgettext("vocabulary", "Hotline caller"),
    pgettext("vocabulary", "Other organisation"),
    pgettext("vocabulary", "Medical record"),
    pgettext("vocabulary", "Official documents (police, court)"),
    pgettext("vocabulary", "Media"),
    pgettext("vocabulary", "High"),
    pgettext("vocabulary", "Medium"),
    pgettext("vocabulary", "Low"),
    pgettext("vocabulary", "Possible"),
    pgettext("vocabulary", "Likely"),
    pgettext("vocabulary", "Confirmed"),
    pgettext("vocabulary", "Not a violation"),
    pgettext("vocabulary", "Did it"),
    pgettext("vocabulary", "Ordered it"),
    pgettext("vocabulary", "Was present"),
    pgettext("vocabulary", "Failed to act"),
]

DESCRIPTIONS = [
    pgettext("vocabulary", "Any unwanted sexual act, contact, demand or comment forced on her."),
    pgettext(
        "vocabulary",
        "Penetration of the vagina, anus or mouth with a body part or object "
        'without her free consent, including when she "agreed" under threat or to '
        "be released.",
    ),
    pgettext("vocabulary", "Someone tried to rape her, but penetration did not happen."),
    pgettext("vocabulary", "Unwanted sexual touching, kissing or groping, without penetration."),
    pgettext(
        "vocabulary",
        "She was made to undress, or her intimate parts were searched, especially "
        "by men or in front of others.",
    ),
    pgettext(
        "vocabulary",
        "Sex was demanded in exchange for release, dropping a case or leaving her "
        "alone; if sex took place, also record rape.",
    ),
    pgettext(
        "vocabulary",
        "Sexual comments, propositions, gestures or threats of sexual violence, "
        "without physical contact.",
    ),
    pgettext("vocabulary", "Any use of force that hurts her body, other than sexual violence."),
    pgettext("vocabulary", "She was hit, kicked, slapped or pushed, with hands, feet or objects."),
    pgettext(
        "vocabulary",
        "Officials caused her severe pain or suffering on purpose, for example to "
        "get a confession, information or money, or to punish her.",
    ),
    pgettext(
        "vocabulary",
        "More force than needed was used to stop or detain her: twisted arms, "
        "thrown to the ground, handcuffs too tight.",
    ),
    pgettext(
        "vocabulary",
        "She died while held by police or in a place of detention, whatever cause "
        "was given officially.",
    ),
    pgettext("vocabulary", "Words or actions meant to frighten, humiliate or control her."),
    pgettext("vocabulary", "She was insulted, mocked, shouted at or made to do degrading things."),
    pgettext(
        "vocabulary",
        "She or her family were threatened with beating, rape or other harm (for "
        "threats to kill, use death threats).",
    ),
    pgettext("vocabulary", "She or her family were threatened with being killed."),
    pgettext(
        "vocabulary",
        "She was told her children would be taken away or child services would be "
        "called, to pressure or punish her.",
    ),
    pgettext(
        "vocabulary",
        "Repeated pressure to keep her in fear: following her, coming to her home, "
        "calling, threatening arrest.",
    ),
    pgettext(
        "vocabulary",
        "She was forced or pressured into a marriage against her will, including a "
        "religious or unregistered one.",
    ),
    pgettext(
        "vocabulary",
        "Stops, searches, detention and criminal cases that break the law or her rights.",
    ),
    pgettext(
        "vocabulary",
        "Police stopped her, checked her documents or questioned her in the street "
        "without a lawful reason.",
    ),
    pgettext(
        "vocabulary",
        "Her bag, clothes, body, car or home was searched without lawful grounds, a"
        " warrant, witnesses or a written record.",
    ),
    pgettext(
        "vocabulary",
        "She was taken to the police or held without a lawful reason, without a "
        "record, or longer than the law allows.",
    ),
    pgettext(
        "vocabulary",
        "She was put in pre-trial detention or prison unjustly, for example on a "
        "fabricated case or for a minor offence.",
    ),
    pgettext(
        "vocabulary",
        "She was refused a lawyer, questioned without one, or talked into giving up"
        " her right to one.",
    ),
    pgettext(
        "vocabulary",
        "She was not told why she was held or what her rights were, or was not "
        "allowed to tell her family.",
    ),
    pgettext(
        "vocabulary",
        "She was pressured, threatened, tortured or tricked into confessing or "
        "signing papers against herself.",
    ),
    pgettext(
        "vocabulary",
        "She was forced to give false evidence against another person, for example "
        "her partner or an acquaintance.",
    ),
    pgettext(
        "vocabulary",
        "She was pressured to report on others, take part in test purchases or work"
        " for the police in exchange for leniency.",
    ),
    pgettext(
        "vocabulary",
        'Police put drugs, syringes or other "evidence" on her, in her things or in her home.',
    ),
    pgettext(
        "vocabulary",
        "A criminal or administrative case against her was made up or falsified, "
        "for example with false reports, witnesses or drug weights.",
    ),
    pgettext(
        "vocabulary",
        "A case was falsified against her partner or a family member, often to "
        "pressure her or get her testimony.",
    ),
    pgettext(
        "vocabulary",
        "Money, services, documents or belongings demanded or taken by abuse of power.",
    ),
    pgettext(
        "vocabulary",
        "Money was demanded from her to avoid arrest, a case or a beating, or to be released.",
    ),
    pgettext(
        "vocabulary",
        "She was threatened with exposure (drug use, HIV, sex work) or a case "
        "unless she paid or obeyed.",
    ),
    pgettext(
        "vocabulary",
        "She was made to do things for officers, such as buying goods, bringing "
        "drugs or running errands; if sex was demanded, use sexual extortion.",
    ),
    pgettext(
        "vocabulary",
        "Officers took her money, phone or other belongings without a record, or "
        "did not give them back.",
    ),
    pgettext(
        "vocabulary",
        "Her passport, ID, OST patient card or other documents were taken or kept to control her.",
    ),
    pgettext(
        "vocabulary", "Actions that block her health care, treatment or harm-reduction services."
    ),
    pgettext(
        "vocabulary",
        "She could not get her methadone or buprenorphine, for example while held "
        "by police, and may have been left in withdrawal.",
    ),
    pgettext(
        "vocabulary",
        "Police watch, stop or arrest people near OST sites, needle exchanges or "
        "NGO offices, so she is afraid to go there.",
    ),
    pgettext(
        "vocabulary",
        "Clean syringes, naloxone, condoms or other harm-reduction supplies were "
        'taken, destroyed or used as "proof" of drug use.',
    ),
    pgettext(
        "vocabulary",
        "She was made to give urine or blood or to have a drug examination without "
        "lawful grounds or her consent.",
    ),
    pgettext(
        "vocabulary",
        "She was put on the narcology register without consent or proper procedure,"
        " which can cost her a job, driving licence or custody of her children.",
    ),
    pgettext(
        "vocabulary",
        "While held, she got no doctor, no care for injuries, "
        "or no HIV, TB or hepatitis medicines.",
    ),
    pgettext(
        "vocabulary",
        "She was sent to drug treatment or a closed institution against her will, "
        "by a court decision or under police pressure.",
    ),
    pgettext(
        "vocabulary",
        "Exposing her private information, and treating her worse because of who she is.",
    ),
    pgettext(
        "vocabulary",
        "Her HIV status, drug use, OST or criminal record was revealed to family, "
        "neighbours, employer, school or the media.",
    ),
    pgettext(
        "vocabulary",
        "Officers photographed or filmed her, for example during a search or "
        "undressed, or shared the images.",
    ),
    pgettext(
        "vocabulary",
        "She was called names or shamed for being on OST, using drugs, living with "
        "HIV or doing sex work.",
    ),
    pgettext(
        "vocabulary",
        "She was refused health care, benefits, housing, work or other services "
        "because she uses drugs, is on OST or has HIV.",
    ),
    pgettext("vocabulary", "Punching, slapping or kicking."),
    pgettext(
        "vocabulary",
        "With a baton, stick, bottle, or through a book or water bottle so as to leave no marks.",
    ),
    pgettext(
        "vocabulary",
        "A plastic bag or gas mask was put over her head, or her mouth and nose were covered.",
    ),
    pgettext("vocabulary", "With a stun gun, wires or another electric device."),
    pgettext("vocabulary", "Made to stand, squat or kneel for a long time, stretched or hung up."),
    pgettext(
        "vocabulary",
        "Handcuffed to a radiator or object, tied up, or left in tight handcuffs for a long time.",
    ),
    pgettext("vocabulary", "With cigarettes, lighters, hot objects or chemicals."),
    pgettext(
        "vocabulary",
        "Her methadone, buprenorphine or other medicines were kept from her, often "
        "to make her confess or cooperate.",
    ),
    pgettext(
        "vocabulary", "A gun, knife or other weapon was pointed at her or shown to frighten her."
    ),
    pgettext("vocabulary", "Bruises, wounds, fractures, concussion or lasting damage to health."),
    pgettext("vocabulary", "She needed treatment in a hospital."),
    pgettext("vocabulary", "Lasting fear, anxiety, depression, sleep problems or flashbacks."),
    pgettext("vocabulary", "She missed doses of antiretroviral, TB or hepatitis C medicines."),
    pgettext("vocabulary", "She missed OST doses or was dropped from the programme."),
    pgettext(
        "vocabulary",
        "She was charged or convicted, or now has a criminal or administrative record.",
    ),
    pgettext("vocabulary", "Bribes, fines or legal costs paid, or belongings lost or damaged."),
    pgettext("vocabulary", "She was hurt but did not need to stay in hospital."),
    pgettext("vocabulary", "She is still held by police or in detention."),
    pgettext("vocabulary", "She was let go without paying anything and without charges."),
    pgettext(
        "vocabulary",
        "A criminal or administrative case was opened against her and is not yet decided.",
    ),
    pgettext(
        "vocabulary",
        "A court found her guilty and sentenced her, including to a fine or probation.",
    ),
    pgettext("vocabulary", "Use a unit below if you know it."),
    pgettext("vocabulary", "Officers of the unit fighting drug crime."),
    pgettext("vocabulary", "Staff of temporary detention, pre-trial detention, prison or convoy."),
    pgettext(
        "vocabulary",
        "For example a prosecutor, judge, child services, migration or social services officer.",
    ),
    pgettext(
        "vocabulary",
        "Doctor, nurse or other staff of a clinic, hospital, narcology service or OST site.",
    ),
    pgettext("vocabulary", "Husband, partner, ex-partner or other relative."),
    pgettext(
        "vocabulary", "For example a security guard, neighbour, landlord, employer or dealer."
    ),
    pgettext("vocabulary", "Street, yard, park, stairwell or other public space."),
    pgettext("vocabulary", "District police department, police post or community police office."),
    pgettext("vocabulary", "Metro, railway or bus station, or inside a bus, train or taxi."),
    pgettext("vocabulary", "Her home or the home of a partner, relative or friend."),
    pgettext("vocabulary", "Place where she receives methadone or buprenorphine, or its entrance."),
    pgettext("vocabulary", "Needle exchange point, mobile unit or harm-reduction NGO office."),
    pgettext("vocabulary", "Including narcology, HIV and TB clinics."),
    pgettext(
        "vocabulary",
        "Temporary detention cell, pre-trial detention centre, special detention centre or prison.",
    ),
    pgettext("vocabulary", "Receives methadone or buprenorphine opioid substitution therapy."),
    pgettext("vocabulary", "Living on the street, in a shelter or without a stable place to stay."),
    pgettext("vocabulary", "Came from another country, with or without legal status."),
    pgettext(
        "vocabulary",
        "Forced to leave her home because of war or disaster, but still in the same country.",
    ),
    pgettext("vocabulary", "Has served time in prison or a colony."),
    pgettext("vocabulary", "Lesbian, bisexual or transgender woman, or another LGBT person."),
    pgettext("vocabulary", "Keeping her on OST, including while in custody or after release."),
    pgettext(
        "vocabulary", "Care for her children while she is held, or help to keep or regain custody."
    ),
    pgettext("vocabulary", "Getting back or replacing her passport, ID, medical or OST documents."),
    pgettext(
        "vocabulary",
        "A paralegal or peer went with her to the police, court, hospital or other services.",
    ),
    pgettext(
        "vocabulary",
        "Complaint to police internal affairs, the prosecutor, the ombudsman or "
        "another oversight body.",
    ),
    pgettext(
        "vocabulary",
        "Representing her in court, including appeals "
        "and cases to the European Court or UN bodies.",
    ),
    pgettext(
        "vocabulary", "Getting her injuries examined and recorded by a doctor or forensic expert."
    ),
    pgettext(
        "vocabulary",
        "Sending her to another service, such as a clinic, OST site, shelter or social service.",
    ),
    pgettext(
        "vocabulary",
        "Arranging for her OST doses to be given while she is held by police or in detention.",
    ),
    pgettext("vocabulary", "Making the case public, only with her consent."),
    pgettext("vocabulary", "The authority acted on the request in her favour."),
    pgettext(
        "vocabulary",
        "After a check, the authority decided not to open a criminal case or investigation.",
    ),
    pgettext(
        "vocabulary",
        "The authority blocked the complaint or pressured her or witnesses to withdraw it.",
    ),
    pgettext("vocabulary", "Everything in the case plan was achieved."),
    pgettext("vocabulary", "Someone who called the hotline and is not the victim or a witness."),
    pgettext("vocabulary", "Medical certificate, forensic report or hospital record."),
    pgettext("vocabulary", "Police reports, court decisions and other official papers."),
    pgettext("vocabulary", "News article, broadcast or social media post."),
    pgettext("vocabulary", "Confirmed by documents or by several independent sources."),
    pgettext("vocabulary", "Credible and consistent, but not yet confirmed."),
    pgettext("vocabulary", "Second-hand, vague or contradictory."),
    pgettext("vocabulary", "There is some information but it has not been checked."),
    pgettext(
        "vocabulary", "The account is credible and fits what is known, but is not fully confirmed."
    ),
    pgettext("vocabulary", "A lawyer has confirmed it was a violation, based on evidence."),
    pgettext("vocabulary", "After checking, it was not a violation of her rights."),
    pgettext("vocabulary", "Carried out the act personally."),
    pgettext("vocabulary", "Gave the order or instruction that led to the act."),
    pgettext("vocabulary", "Was there when it happened and took part or approved."),
    pgettext(
        "vocabulary",
        "Knew about it or saw it and did nothing to stop it or help her, although "
        "it was their duty.",
    ),
]
