"""Tests for article_audio.text.normalize: written news text in, what a newsreader says out."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest

from article_audio.text.normalize import LETTER_ACRONYMS, PASSES, WORD_ACRONYMS, normalize

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cbc-coalition-paris.txt"

Case = tuple[str, str]

CARDINALS: list[Case] = [
    ("2,026 people attended.", "two thousand twenty-six people attended."),
    ("More than 30 leaders came.", "More than thirty leaders came."),
    (
        "It has 1,234,567 residents.",
        "It has one million two hundred thirty-four thousand five hundred sixty-seven residents.",
    ),
    ("About 100 troops left.", "About one hundred troops left."),
    ("There were 0 injuries.", "There were zero injuries."),
    ("It lasted 11 years.", "It lasted eleven years."),
    ("Agent 007 returned.", "Agent zero zero seven returned."),
    ("They found 1500 ballots.", "They found one thousand five hundred ballots."),
    ("The score was 3 to 2.", "The score was three to two."),
    ("A 15-year-old boy was hurt.", "A fifteen-year-old boy was hurt."),
]

DECIMALS: list[Case] = [
    ("The rate rose 4.5 points.", "The rate rose four point five points."),
    ("It fell to 0.25 overnight.", "It fell to zero point two five overnight."),
    ("Turnout was .5 higher.", "Turnout was point five higher."),
    ("Temperatures fell to -5 overnight.", "Temperatures fell to minus five overnight."),
    ("It was -12.5 at dawn.", "It was minus twelve point five at dawn."),
    ("Update to version 1.2.3 now.", "Update to version one point two point three now."),
    ("The population is 4.5 million.", "The population is four point five million."),
    ("Exports hit 4.5bn last year.", "Exports hit four point five billion last year."),
]

PERCENTAGES: list[Case] = [
    ("Inflation hit 12%.", "Inflation hit twelve percent."),
    ("Inflation hit 12 per cent.", "Inflation hit twelve per cent."),
    ("Rates fell 0.5%.", "Rates fell zero point five percent."),
    ("Growth of 10-12% is expected.", "Growth of ten to twelve percent is expected."),
    ("Support is at 45 %.", "Support is at forty-five percent."),
    ("Costs rose 3%-4% this year.", "Costs rose three to four percent this year."),
    ("Shares fell -2.5% today.", "Shares fell minus two point five percent today."),
]

CURRENCIES: list[Case] = [
    ("The deal is worth $4.5 billion.", "The deal is worth four point five billion dollars."),
    ("He paid $20 for it.", "He paid twenty dollars for it."),
    ("A coffee costs $3.50.", "A coffee costs three dollars and fifty cents."),
    ("It costs $0.50.", "It costs fifty cents."),
    ("It costs $1.", "It costs one dollar."),
    ("It costs $1.01.", "It costs one dollar and one cent."),
    ("Ottawa pledged C$1.2 billion.", "Ottawa pledged one point two billion Canadian dollars."),
    (
        "Canberra spent A$1.9bn on it.",
        "Canberra spent one point nine billion Australian dollars on it.",
    ),
    ("It raised US$5 million.", "It raised five million U.S dollars."),
    ("The fine was €3.50.", "The fine was three euros and fifty cents."),
    ("A ticket is £20.", "A ticket is twenty pounds."),
    ("A stamp is £1.", "A stamp is one pound."),
    ("That is ¥100.", "That is one hundred yen."),
    ("He earned $20k last year.", "He earned twenty thousand dollars last year."),
    ("The firm lost $5m.", "The firm lost five million dollars."),
    ("Costs range from $5 to $10.", "Costs range from five to ten dollars."),
    ("A budget of $5-10 million.", "A budget of five to ten million dollars."),
    ("Gum costs 50¢.", "Gum costs fifty cents."),
    ("It owes USD 5 million.", "It owes five million U.S dollars."),
    ("Debt hit $1.2 trillion.", "Debt hit one point two trillion dollars."),
    ("Kyiv got ₴500.", "Kyiv got five hundred hryvnias."),
]

ORDINALS: list[Case] = [
    ("She finished 1st.", "She finished first."),
    ("The 22nd annual summit.", "The twenty-second annual summit."),
    ("He came 3rd.", "He came third."),
    ("The 100th anniversary.", "The one hundredth anniversary."),
    ("The 21st century.", "The twenty-first century."),
    ("Its 2,000th day.", "Its two thousandth day."),
]

YEARS_VS_COUNTS: list[Case] = [
    ("In 2026, leaders met.", "In twenty twenty-six, leaders met."),
    (
        "Back in 2022 and 2023, Europe was wary.",
        "Back in twenty twenty-two and twenty twenty-three, Europe was wary.",
    ),
    ("2026 people signed.", "two thousand twenty-six people signed."),
    ("The 2026 election looms.", "The twenty twenty-six election looms."),
    ("It has grown since 1990.", "It has grown since nineteen ninety."),
    ("By 2030, emissions must fall.", "By twenty thirty, emissions must fall."),
    ("It rose to 2500 people.", "It rose to two thousand five hundred people."),
    ("Between 2000 and 2009 it grew.", "Between two thousand and two thousand nine it grew."),
    ("In the summer of 1969 they landed.", "In the summer of nineteen sixty-nine they landed."),
    ("It opened in 2009.", "It opened in two thousand nine."),
    ("It closed in 1905.", "It closed in nineteen oh five."),
    ("2025 was a hard year.", "twenty twenty-five was a hard year."),
    ("Expect a deal in mid-2026.", "Expect a deal in mid-twenty twenty-six."),
    ("The class of '26 graduated.", "The class of twenty-six graduated."),
    ("He proposed a 15 year horizon.", "He proposed a fifteen year horizon."),
    ("From 2020 to 2024 it doubled.", "From twenty twenty to twenty twenty-four it doubled."),
    ("Trump's 2024 win was clear.", "Trump's twenty twenty-four win was clear."),
    ("It has 2026 new cases.", "It has two thousand twenty-six new cases."),
    ("They voted 2026 times.", "They voted two thousand twenty-six times."),
    ("The 2026 FIFA World Cup.", "The twenty twenty-six FIFA World Cup."),
]

DECADES: list[Case] = [
    ("Since the 1990s it has grown.", "Since the nineteen nineties it has grown."),
    ("In the 2000s it boomed.", "In the two thousands it boomed."),
    ("Music of the '90s.", "Music of the nineties."),
    ("Built in the 1800s.", "Built in the eighteen hundreds."),
    ("Voters in their 20s.", "Voters in their twenties."),
    ("By the mid-1990s it was over.", "By the mid-nineteen nineties it was over."),
    ("The 2010s were calm.", "The twenty tens were calm."),
    ("Tens of thousands, even 10s of thousands.", "Tens of thousands, even tens of thousands."),
    ("100s of people came.", "hundreds of people came."),
]

DATES: list[Case] = [
    ("Jan 05, 2026", "January fifth, twenty twenty-six"),
    ("Posted Jan. 5, 2026.", "Posted January fifth, twenty twenty-six."),
    ("It ends 5 January 2026.", "It ends the fifth of January, twenty twenty-six."),
    ("Sat 14 Nov 2026", "Saturday, the fourteenth of November, twenty twenty-six"),
    ("Published 2026-01-05.", "Published January fifth, twenty twenty-six."),
    ("Tuesday, Jan. 6, 2026", "Tuesday, January sixth, twenty twenty-six"),
    ("It happened on Sept. 11.", "It happened on September eleventh."),
    ("The vote is in March 2026.", "The vote is in March twenty twenty-six."),
    ("Filed on 1/5/2026.", "Filed on January fifth, twenty twenty-six."),
    ("Filed on 15/01/2026.", "Filed on the fifteenth of January, twenty twenty-six."),
    ("Talks run Jan 5-7.", "Talks run January fifth to seventh."),
    ("On May 1st they marched.", "On May first they marched."),
    ("The 3rd of March was cold.", "The third of March was cold."),
    ("Dec 31, 1999 was the eve.", "December thirty-first, nineteen ninety-nine was the eve."),
    ("Jan 05", "January fifth"),
]

TIMES: list[Case] = [
    ("4:00 AM EST", "four A.M Eastern"),
    ("It starts at 10:30 p.m. ET today.", "It starts at ten thirty P.M Eastern today."),
    ("Doors open 07.00 AEDT", "Doors open seven A.M Australian Eastern Daylight Time"),
    ("They meet at noon.", "They meet at noon."),
    ("They meet at 12 noon.", "They meet at noon."),
    ("It ends at 4 p.m.", "It ends at four P.M."),
    ("It ends at 4 p.m. Tuesday.", "It ends at four P.M Tuesday."),
    ("Kickoff is 16:05 GMT.", "Kickoff is four oh five P.M G.M.T."),
    ("Open 9 a.m.-5 p.m. daily.", "Open nine A.M to five P.M daily."),
    ("Polls close 9-11 a.m. locally.", "Polls close nine to eleven A.M locally."),
    ("At 4:05 pm he left.", "At four oh five P.M he left."),
    ("They met at 4:30.", "They met at four thirty."),
    ("They met at 4:00.", "They met at four o'clock."),
    ("It began at 00:30 UTC.", "It began at twelve thirty A.M U.T.C."),
    ("Markets open at 9:30 a.m. ET.", "Markets open at nine thirty A.M Eastern."),
    ("The strike began 12:00 midnight.", "The strike began midnight."),
    ("Shops close at 8 PM PT.", "Shops close at eight P.M Pacific."),
    ("The ratio was 4.30 overall.", "The ratio was four point three zero overall."),
    (
        "At 3 p.m. on Jan. 6, 2026, they met.",
        "At three P.M on January sixth, twenty twenty-six, they met.",
    ),
]

RANGES: list[Case] = [
    ("The 2022-2023 season.", "The twenty twenty-two to twenty twenty-three season."),
    ("The 2022-23 season.", "The twenty twenty-two to twenty-three season."),
    ("They won 9-5.", "They won nine to five."),
    ("The 35-nation group met.", "The thirty-five-nation group met."),
    ("Read pages 10–12.", "Read pages ten to twelve."),
    ("It rose from 5 – 6 units.", "It rose from five to six units."),
    ("Some 2,000-3,000 fled.", "Some two thousand to three thousand fled."),
    ("He works 9-5.", "He works nine to five."),
]

FRACTIONS: list[Case] = [
    ("Add 1/2 cup.", "Add one half cup."),
    ("About ½ of voters.", "About one half of voters."),
    ("3/4 of the members agreed.", "three quarters of the members agreed."),
    ("It grew 2½ times.", "It grew two and a half times."),
    ("It took 1 1/2 hours.", "It took one and a half hours."),
    ("About 2/3 of them.", "About two thirds of them."),
    ("Nearly ⅓ voted.", "Nearly one third voted."),
    ("Add 5/8 inch.", "Add five eighths inch."),
    ("Open 24/7.", "Open twenty-four seven."),
    ("After 9/11 it changed.", "After nine eleven it changed."),
    ("She scored 8/10.", "She scored eight out of ten."),
    ("A 50/50 split.", "A fifty-fifty split."),
]

PHONE_NUMBERS: list[Case] = [
    ("Call 555-0199 today.", "Call five five five, zero one nine nine today."),
    ("Call 1-800-555-0199.", "Call one, eight hundred, five five five, zero one nine nine."),
    ("Call (416) 555-0199.", "Call four one six, five five five, zero one nine nine."),
    (
        "Dial +44 20 7946 0958.",
        "Dial plus four four, two zero, seven nine four six, zero nine five eight.",
    ),
    ("Phone 613.555.0100 now.", "Phone six one three, five five five, zero one zero zero now."),
    ("Text +1 416-555-0199.", "Text plus one, four one six, five five five, zero one nine nine."),
]

UNITS: list[Case] = [
    ("It is 5 km away.", "It is five kilometers away."),
    ("It is 1 km away.", "It is one kilometer away."),
    ("She ran a 5-km race.", "She ran a five-kilometer race."),
    ("It was 30°C.", "It was thirty degrees Celsius."),
    ("It was -1°C.", "It was minus one degree Celsius."),
    ("It was 86°F.", "It was eighty-six degrees Fahrenheit."),
    ("It hit 100 km/h.", "It hit one hundred kilometers per hour."),
    ("Winds of 60 mph.", "Winds of sixty miles per hour."),
    ("It weighs 10 kg.", "It weighs ten kilograms."),
    ("It weighs 1 lb.", "It weighs one pound."),
    ("It measures 5 cm.", "It measures five centimeters."),
    ("An area of 50 sq km.", "An area of fifty square kilometers."),
    ("An area of 50 km².", "An area of fifty square kilometers."),
    ("Rain of 1.5 mm fell.", "Rain of one point five millimeters fell."),
    ("The plant makes 300 MW.", "The plant makes three hundred megawatts."),
    ("It is 2 ft deep.", "It is two feet deep."),
    ("Highs of 20-25°C.", "Highs of twenty to twenty-five degrees Celsius."),
]

ACRONYMS: list[Case] = [
    ("The CBC reported it.", "The C.B.C reported it."),
    ("The CIA and FBI agreed.", "The C.I.A and F.B.I agreed."),
    ("The U.S. and Canada agreed.", "The U.S and Canada agreed."),
    ("The U.S. President spoke.", "The U.S President spoke."),
    ("Troops left the U.S.", "Troops left the U.S."),
    ("The UN and EU agreed.", "The U.N and E.U agreed."),
    ("The UK and USA agreed.", "The U.K and U.S.A agreed."),
    ("The CEO resigned.", "The C.E.O resigned."),
    ("NATO and NASA agreed.", "NATO and NASA agreed."),
    ("UNESCO, OPEC and COVID.", "UNESCO, OPEC and COVID."),
    ("MPs voted.", "M.P.s voted."),
    ("The CEOs met.", "The C.E.O.s met."),
    ("The CBC's report.", "The C.B.C's report."),
    ("NATO's plan.", "NATO's plan."),
    ("The NDP leader spoke.", "The N.D.P leader spoke."),
    ("The ESPN broadcast.", "The E.S.P.N broadcast."),
    ("The SNCF said so.", "The S.N.C.F said so."),
    ("The CUSMA talks.", "The CUSMA talks."),
    ("ABOUT THE AUTHOR", "ABOUT THE AUTHOR"),
    ("WATCH | Putin speaks", "WATCH, Putin speaks"),
    ("A U.S.-led plan.", "A U.S-led plan."),
    ("George W. Bush said so.", "George W Bush said so."),
    ("A Ph.D. student.", "A P.H.D student."),
    ("AT&T and R&D.", "A.T and T and R and D."),
    ("The G7 met.", "The G seven met."),
    ("F-35 jets flew.", "F thirty-five jets flew."),
    ("COVID-19 cases rose.", "COVID nineteen cases rose."),
    ("An AI-based tool.", "An A.I-based tool."),
    ("He said it was NOT true.", "He said it was NOT true."),
    ("IAEA inspectors came.", "I.A.E.A inspectors came."),
    ("The WWII veterans.", "The World War Two veterans."),
]

HONORIFICS: list[Case] = [
    ("Dr. Smith spoke.", "Doctor Smith spoke."),
    ("Sen. Jones voted.", "Senator Jones voted."),
    ("Gov. Newsom signed.", "Governor Newsom signed."),
    ("Lt. Gen. Smith retired.", "Lieutenant General Smith retired."),
    ("Lt.-Gen. Jenny Carignan spoke.", "Lieutenant-General Jenny Carignan spoke."),
    ("Mr. Carney left.", "Mister Carney left."),
    ("Mrs. Smith left.", "Missus Smith left."),
    ("Ms. Freeland left.", "Miz Freeland left."),
    ("Mr Starmer left.", "Mister Starmer left."),
    ("Prof. Schmidt said so.", "Professor Schmidt said so."),
    ("Martin Luther King Jr. said so.", "Martin Luther King Junior said so."),
    ("It was bought by Apple Inc.", "It was bought by Apple Incorporated."),
    ("Gov. Gen. Mary Simon spoke.", "Governor General Mary Simon spoke."),
    ("Rep. Ocasio-Cortez said so.", "Representative Ocasio-Cortez said so."),
    ("Apples, pears, etc. are fruit.", "Apples, pears, et cetera are fruit."),
    ("Big cities, e.g. Paris.", "Big cities, for example Paris."),
]

SAINT_STREET: list[Case] = [
    ("He lives in St. Louis.", "He lives in Saint Louis."),
    ("She was born in St. John's.", "She was born in Saint John's."),
    ("The shop is on Main St.", "The shop is on Main Street."),
    ("Wellington St. in Ottawa was closed.", "Wellington Street in Ottawa was closed."),
    ("He lives at 24 Sussex Dr.", "He lives at twenty-four Sussex Drive."),
    ("It is on Fifth Ave. downtown.", "It is on Fifth Avenue downtown."),
    ("They climbed Mt. Everest.", "They climbed Mount Everest."),
    ("Fires hit Ft. McMurray.", "Fires hit Fort McMurray."),
    ("Floods hit St-Jean-sur-Richelieu.", "Floods hit Saint-Jean-sur-Richelieu."),
    ("Traffic on 42nd St. stopped.", "Traffic on forty-second Street stopped."),
    ("St Paul's Cathedral.", "Saint Paul's Cathedral."),
]

#: Abbreviations read from the whole sentence around them (issue 15).
IN_CONTEXT: list[Case] = [
    (
        "She lived at 12 Elm St. It was quiet.",
        "She lived at twelve Elm Street. It was quiet.",
    ),
    ("Port St. Lucie grew.", "Port Saint Lucie grew."),
    (
        "They moved to 4 Maple Dr. The house is blue.",
        "They moved to four Maple Drive. The house is blue.",
    ),
    ("Dr. Lee lives on Oak Dr. near the park.", "Doctor Lee lives on Oak Drive near the park."),
    ("The pipe is 3 in. wide.", "The pipe is three inches wide."),
    ("A 1 in. gap.", "A one inch gap."),
    ("They came in. Then it rained.", "They came in. Then it rained."),
    ("She ranked No. 1 in Canada.", "She ranked number one in Canada."),
    ("He said no. Then he left.", "He said no. Then he left."),
    ("World War I ended in 1918.", "World War One ended in nineteen eighteen."),
    ("Then I left.", "Then I left."),
    ("It was 100 million kg of grain.", "It was one hundred million kilograms of grain."),
]

MORE_DATES: list[Case] = [
    ("It opened JAN. 15 2020.", "It opened January fifteenth, twenty twenty."),
    ("It opened july 25 2012.", "It opened July twenty-fifth, twenty twelve."),
    ("They march 5 miles.", "They march five miles."),
    ("Filed 15-01-2020.", "Filed the fifteenth of January, twenty twenty."),
    ("Filed 2016/07/03.", "Filed July third, twenty sixteen."),
    ("Born 01/07/98.", "Born January seventh, nineteen ninety-eight."),
    ("Due Jan-15-2020.", "Due January fifteenth, twenty twenty."),
]

ROMAN_NUMERALS: list[Case] = [
    ("Charles III spoke.", "Charles the Third spoke."),
    ("King Charles III's coronation.", "King Charles the Third's coronation."),
    ("After World War II ended.", "After World War Two ended."),
    ("Before World War I began.", "Before World War One began."),
    ("Pope John Paul II visited.", "Pope John Paul the Second visited."),
    ("Super Bowl LVIII was close.", "Super Bowl Fifty-Eight was close."),
    ("Henry VIII married.", "Henry the Eighth married."),
    ("Louis XIV reigned.", "Louis the Fourteenth reigned."),
    ("A portrait of Elizabeth I.", "A portrait of Elizabeth the First."),
    ("Malcolm X spoke.", "Malcolm X spoke."),
    ("Henry V fought.", "Henry the Fifth fought."),
    ("Pope Leo XIV spoke.", "Pope Leo the Fourteenth spoke."),
    ("Title IX applies.", "Title Nine applies."),
    ("She needed an IV drip.", "She needed an I.V drip."),
]

NUMBER_SIGN: list[Case] = [
    ("No. 1 is back.", "Number one is back."),
    ("She is ranked No. 1 in the world.", "She is ranked number one in the world."),
    ("No. 10 Downing Street", "Number ten Downing Street"),
    ("The #1 seed lost.", "The number one seed lost."),
    ("Items Nos. 4 and 5.", "Items numbers four and five."),
]

SYMBOLS: list[Case] = [
    ("Research & Development", "Research and Development"),
    ("Orgo-Life® Quantum™ ©CBC", "Orgo-Life Quantum C.B.C"),
    ("Murray Brewster · CBC News", "Murray Brewster, C.B.C News"),
    ("News | Sports", "News, Sports"),
    ("It may last two — we will see.", "It may last two, we will see."),
    ("The Paris–Berlin talks.", "The Paris-Berlin talks."),
    ("Follow @CBCNews today.", "Follow at CBCNews today."),
    ("The #MeToo movement.", "The hashtag MeToo movement."),
    ("Then 1 + 1 = 2.", "Then one plus one equals two."),
    ("It is ~5 km.", "It is about five kilometers."),
    ("Mail john.doe@cbc.ca now.", "Mail john dot doe at cbc dot ca now."),
    ("See www.cbc.ca/news/world for more.", "See cbc dot ca slash news slash world for more."),
    ("Party time 🎉 tonight.", "Party time tonight."),
    ("Yes and/or no.", "Yes and or no."),
    (
        "Posted: Jan 05, 2026 4:00 AM EST | Last Updated: 1 hour ago",
        "Posted: January fifth, twenty twenty-six, four A.M Eastern, Last Updated: one hour ago",
    ),
]

#: Breadth of issue 15: numbers read as codes, addresses, times with seconds, money per period.
BREADTH: list[Case] = [
    (
        "Call 555-123-4567 ext. 89 now.",
        "Call five five five, one two three, four five six seven, extension eight nine now.",
    ),
    (
        "Call (123)-123-5678 today.",
        "Call one two three, one two three, five six seven eight today.",
    ),
    ("Call 1-800-FLOWERS today.", "Call one, eight hundred, FLOWERS today."),
    ("Over 911 people came.", "Over nine hundred eleven people came."),
    ("The 911 call came.", "The nine one one call came."),
    ("Her IP was 10.0.0.12 then.", "Her I.P was one zero dot zero dot zero dot one two then."),
    (
        "A 401(k) plan and a 501(c)(3) charity.",
        "A four oh one K plan and a five oh one C three charity.",
    ),
    ("Use the card ending in 8876.", "Use the card ending in eight eight seven six."),
    ("The war ending in 1945.", "The war ending in nineteen forty-five."),
    (
        "See https://www.cbc.ca/news/world-cup for more.",
        "See cbc dot ca slash news slash world dash cup for more.",
    ),
    (
        "Write to a-1.b3_c@gma4i-l.com today.",
        "Write to a dash one dot b three underscore c at gma four i dash l dot com today.",
    ),
    (
        "Open file:///photos/image.jpg now.",
        "Open file colon slash slash slash photos slash image dot jpeg now.",
    ),
    ("He uses node.js daily.", "He uses node dot js daily."),
    ("The upgrade/update failed.", "The upgrade slash update failed."),
    ("Photo: Thomas Coex/AFP", "Photo: Thomas Coex A.F.P"),
    (
        "Logged 2020-08-01 18:00:00+00 here.",
        "Logged August first, twenty twenty, six P.M plus zero zero here.",
    ),
    ("He finished in 2:05:37.", "He finished in two hours five minutes and thirty-seven seconds."),
    ("At 10:15:30 p.m. EST it fell.", "At ten fifteen and thirty seconds P.M Eastern it fell."),
    ("At 1:59 p.m. est it fell.", "At one fifty-nine P.M Eastern it fell."),
    ("It costs $20/mo now.", "It costs twenty dollars per month now."),
    ("It costs $.01 each.", "It costs one cent each."),
    ("From $50.00-$100.00 each.", "From fifty dollars to one hundred dollars each."),
    ("About 1/4th of voters.", "About one quarter of voters."),
    ("It weighs 4 1/2 lbs.", "It weighs four and a half pounds."),
    ("It weighs 3/4 lb.", "It weighs three quarters of a pound."),
    ("It costs 12/kg.", "It costs twelve per kilogram."),
    (
        "They moved to 1428 Elm St. It was a strange place.",
        "They moved to fourteen twenty-eight Elm Street. It was a strange place.",
    ),
    (
        "Send it to 2788 San Tomas Expy, Santa Clara, CA 95051.",
        "Send it to twenty-seven eighty-eight San Tomas Expressway, Santa Clara, California"
        " nine five zero five one.",
    ),
    ("It is at 1211 E Arques Ave now.", "It is at twelve eleven East Arques Avenue now."),
    (
        "They closed Main St. Police said it would reopen.",
        "They closed Main Street. Police said it would reopen.",
    ),
    ("Visiting St. Louis was fun.", "Visiting Saint Louis was fun."),
    ("In Q2 2025 sales rose.", "In the second quarter of twenty twenty-five sales rose."),
    ("The Q3 results beat.", "The third quarter results beat."),
    (
        "It has 124,444,234,854,823,834,553 grains.",
        "It has one hundred twenty-four quintillion four hundred forty-four quadrillion two"
        " hundred thirty-four trillion eight hundred fifty-four billion eight hundred"
        " twenty-three million eight hundred thirty-four thousand five hundred fifty-three"
        " grains.",
    ),
]

HOSTILE_TEXT: list[Case] = [
    ("Say [[ h ə l oʊ ]] now.", "Say [h ə l oʊ] now."),
    ("A [[[deep]]] bracket.", "A [deep] bracket."),
    ("Split [\u200b[x]\u200b] here.", "Split [x] here."),
    ("Zero\u200bwidth\u200cjoin\u200d end\ufeff", "Zerowidthjoin end"),
    ("Bidi \u202eevil\u202c text \u2066here\u2069.", "Bidi evil text here."),
    ("Bell\x07 and\x00 null.", "Bell and null."),
    ("Line\nbreak\tand tab.", "Line break and tab."),
    ("Soft\u00adhyphen word.", "Softhyphen word."),
    ("Since ２０２６ it grew.", "Since twenty twenty-six it grew."),
    ("Arabic ٣ digit.", "Arabic three digit."),
    ("CO₂ rose.", "C.O two rose."),
    ("It fell to \u22125 today.", "It fell to minus five today."),
    ("Non\u00a0breaking space.", "Non breaking space."),
    ("\ue000Private use.", "Private use."),
    ("   ", ""),
    ("", ""),
]

CATEGORIES: dict[str, list[Case]] = {
    "cardinals": CARDINALS,
    "decimals": DECIMALS,
    "percentages": PERCENTAGES,
    "currencies": CURRENCIES,
    "ordinals": ORDINALS,
    "years-vs-counts": YEARS_VS_COUNTS,
    "decades": DECADES,
    "dates": DATES,
    "times": TIMES,
    "ranges": RANGES,
    "fractions": FRACTIONS,
    "phone-numbers": PHONE_NUMBERS,
    "units": UNITS,
    "acronyms": ACRONYMS,
    "honorifics": HONORIFICS,
    "saint-street": SAINT_STREET,
    "in-context": IN_CONTEXT,
    "more-dates": MORE_DATES,
    "roman-numerals": ROMAN_NUMERALS,
    "number-sign": NUMBER_SIGN,
    "symbols": SYMBOLS,
    "hostile-text": HOSTILE_TEXT,
    "breadth": BREADTH,
}

ALL_CASES = [
    pytest.param(written, spoken, id=f"{category}: {written[:50]!r}")
    for category, cases in CATEGORIES.items()
    for written, spoken in cases
]


def test_there_are_enough_cases() -> None:
    assert len(ALL_CASES) >= 150


@pytest.mark.parametrize(("written", "spoken"), ALL_CASES)
def test_normalize(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), ALL_CASES)
def test_output_has_no_digits_and_no_markup(written: str, spoken: str) -> None:
    result = normalize(written)
    assert not any(ch.isdigit() for ch in result)
    assert "[[" not in result and "]]" not in result


@pytest.mark.parametrize(("written", "spoken"), ALL_CASES)
def test_normalizing_twice_changes_nothing(written: str, spoken: str) -> None:
    once = normalize(written)
    assert normalize(once) == once


# --- the example article ----------------------------------------------------------------------


def _example_lines() -> list[str]:
    return [line for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _example_line(marker: str) -> str:
    return next(line for line in _example_lines() if marker in line)


@pytest.mark.parametrize(
    ("marker", "spoken"),
    [
        (
            "2022 and 2023",
            "back in twenty twenty-two and twenty twenty-three, Europe was resisting",
        ),
        ("35-nation", "referring to the thirty-five-nation group of Ukraine-friendly countries"),
        ("15 year", "He’s proposed a fifteen year horizon for such a deal"),
        ("more than 30 leaders", "the gathering of more than thirty leaders, where"),
        ("18 coalition", "had with eighteen coalition national security and defence advisers"),
        ("15 months", "a total of fifteen months on the ground"),
        ("11 years", "for C.P in Nova Scotia for eleven years and was bureau chief"),
        ("led by the U.S.", "led by the U.S and President Donald Trump"),
        ("former NATO ambassador", "Canada’s former NATO ambassador"),
        ("CIA rejects", "C.I.A rejects Russia’s claim"),
    ],
)
def test_example_sentences(marker: str, spoken: str) -> None:
    assert spoken in normalize(_example_line(marker))


def test_example_date_line() -> None:
    assert normalize(_example_line("Posted:")) == (
        "Posted: January fifth, twenty twenty-six, four A.M Eastern, Last Updated: one hour ago"
    )


def test_example_byline_and_heading() -> None:
    assert normalize(_example_line("Murray Brewster ·")) == "Murray Brewster, C.B.C News"
    assert normalize("ABOUT THE AUTHOR") == "ABOUT THE AUTHOR"


def test_no_digit_survives_the_example() -> None:
    for line in _example_lines():
        result = normalize(line)
        assert not re.search(r"\d", result), (line, result)
        assert not any(ch.isdigit() for ch in result), (line, result)


def test_example_keeps_every_name() -> None:
    text = " ".join(normalize(line) for line in _example_lines())
    for name in ("Zelenskyy", "Kyiv", "Carney", "Macron", "Schmidt", "Brewster", "NATO"):
        assert re.search(rf"\b{name}\b", text)


# --- sanity -------------------------------------------------------------------------------


PLAIN_SENTENCES = [
    "Zelenskyy met leaders in Kyiv over the weekend.",
    "Prime Minister Mark Carney is headed to Paris.",
    "“We've seen the Trump administration vacillate rapidly,” Schmidt said.",
    "Is this the end? Perhaps; perhaps not!",
    "The coalition of the willing met: a pivotal moment.",
    "Ukraine's side, Russia's claim and the countries' views.",
    "NATO, NASA and UNESCO.",
    "He said it was over.",
]


@pytest.mark.parametrize("sentence", PLAIN_SENTENCES)
def test_plain_words_come_back_unchanged(sentence: str) -> None:
    assert normalize(sentence) == sentence


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 lone surrogate 5",
        "9" * 400,
        "1" * 30 + ".5",
        "$" * 50 + "5" * 50,
        "[[" * 100 + "]]" * 100,
        "Jan 99, 2026 at 99:99 PM",
        "-" * 200 + "5",
        "½⅓¼" * 20,
        "00/00/0000 and 0/0 and 13/13/13",
        "XIV XIV XIV Charles MMMM",
        "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.",
        "\x00\x01\x02\u200b\u202e" * 10,
        "𝟘𝟙𝟚 ①②③ ¹²³",
        "$.5 .5% 5.%",
        "@@@ ### &&& %%% ***",
        "9" * 5000 + "th",
        "9" * 5000 + "/" + "9" * 5000,
        "$" + "9" * 5000 + ".50",
        "1 " + "9" * 5000 + "/2",
        "9" * 5000 + "-" + "9" * 5000 + "%",
        "Jan " + "9" * 5000 + ", " + "9" * 5000,
    ],
    ids=lambda text: repr(text[:20]),
)
def test_never_raises_and_leaves_no_digits(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="article_audio.text.normalize"):
        result = normalize(text)
    assert not caplog.records, "a pass failed and was skipped"
    assert isinstance(result, str)
    assert not re.search(r"\d", result)
    assert "[[" not in result and "]]" not in result


def test_every_pass_is_named_and_documented() -> None:
    names = [name for name, _ in PASSES]
    assert len(names) == len(set(names))
    for name, rewrite in PASSES:
        assert rewrite.__name__ == name
        assert rewrite.__doc__ and rewrite.__doc__.strip()


def test_acronym_lists_do_not_contradict_each_other() -> None:
    assert not LETTER_ACRONYMS & WORD_ACRONYMS


def test_is_deterministic() -> None:
    line = _example_line("Posted:")
    assert {normalize(line) for _ in range(5)} == {normalize(line)}


def test_is_fast_enough() -> None:
    lines = _example_lines()
    start = time.perf_counter()
    for line in lines:
        normalize(line)
    assert time.perf_counter() - start < 1.0


# --- how the default voice's phonemizer reads the output ---------------------------------------


def test_espeak_reads_letters_and_times_as_intended() -> None:
    espeak = pytest.importorskip("piper.phonemize_espeak")
    phonemizer = espeak.EspeakPhonemizer()

    def ipa(text: str) -> str:
        return " | ".join("".join(sentence) for sentence in phonemizer.phonemize("en-us", text))

    # letters, not a word, and a letter A read "ay", never the article "uh"
    assert ipa(normalize("The CIA rejects it.")).startswith("ðə sˌiːʲˌaɪˈeɪ ")
    assert "ˌeɪˈɛm" in ipa(normalize("4:00 AM EST"))
    # no sentence break inside "U.S President"
    assert " | " not in ipa(normalize("The U.S. President spoke."))
    # "NATO" stays a word
    assert ipa(normalize("NATO")) == "nˈeɪɾoʊ"
    # the date is read as words, never "zero five"
    assert "zˈiəɹoʊ" not in ipa(normalize("Jan 05, 2026"))
