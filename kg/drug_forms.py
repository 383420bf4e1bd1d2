"""How a drug's name is written with more than the drug: its salt or ester, or a combination.

A salt or ester form puts words of :data:`SALT_WORDS` before or after the drug's name
(``sodium valproate``, ``valproate sodium``, ``metoprolol succinate``, ``morphine sulfate``,
``prednisolone sodium phosphate``, ``sertraline HCl``): the drug is what :func:`base_name`
leaves. A combination writes its components with ``/`` or ``+`` between them
(``levodopa/carbidopa``, ``trimethoprim + sulfamethoxazole``): see :func:`components`.

The list is closed: the counter-ions, esters, pro-drug moieties and hydrate words of drug
substance names. An element or compound that is also a drug of its own (lithium, zinc, procaine,
lysine) is no salt word; the cations of salts (sodium, potassium, calcium, magnesium) are, so a
name made of salt words only (``calcium carbonate``, ``sodium chloride``) has no base: it is a
drug of its own.

Example:
    >>> base_name("Sodium valproate"), base_name("prednisolone sodium phosphate"), base_name("Amlodipine")
    ('valproate', 'prednisolone', None)
    >>> base_name("calcium carbonate") is None, components("levodopa/carbidopa"), components("Sinemet")
    (True, ['levodopa', 'carbidopa'], None)
"""

from __future__ import annotations

import re

SALT_WORDS: frozenset[str] = frozenset("""
    sodium disodium trisodium semisodium potassium dipotassium calcium magnesium ammonium
    meglumine tromethamine trometamol olamine diolamine benzathine
    hydrochloride dihydrochloride hcl hydrobromide hbr hydroiodide chloride bromide iodide
    sulfate sulphate bisulfate hemisulfate phosphate diphosphate nitrate carbonate bicarbonate
    acetate diacetate citrate tartrate bitartrate maleate dimaleate fumarate hemifumarate
    succinate besylate besilate mesylate mesilate dimesylate tosylate tosilate edisylate
    napsylate isethionate lactate gluconate benzoate pamoate embonate stearate oxalate malate
    hyclate xinafoate camsylate lactobionate estolate ethylsuccinate
    decanoate enanthate enantate cypionate propionate dipropionate valerate butyrate undecanoate
    palmitate furoate pivalate acetonide hexacetonide mofetil axetil proxetil medoxomil cilexetil
    disoproxil etabonate
    monohydrate dihydrate trihydrate sesquihydrate hemihydrate pentahydrate hexahydrate anhydrous
""".split())
"""Counter-ions, esters, pro-drug moieties and hydrate words of drug substance names (lower case)."""

_WORDS = re.compile(r"\S+")
_COMPONENTS = re.compile(r"\s*[/+]\s*")


def is_salt_word(word: str) -> bool:
    """Whether ``word`` (any case) is one of :data:`SALT_WORDS`.

    Example:
        >>> is_salt_word("HCl"), is_salt_word("valproate")
        (True, False)
    """
    return word.casefold() in SALT_WORDS


def base_name(name: str) -> str | None:
    """``name`` without the salt and ester words at its start and end (``sodium valproate``:
    ``valproate``), or ``None`` when it has none there or has nothing else.

    Example:
        >>> base_name("  Levothyroxine  sodium "), base_name("sodium chloride"), base_name("Keppra")
        ('Levothyroxine', None, None)
    """
    words = _WORDS.findall(name)
    a, b = 0, len(words)
    while a < b and is_salt_word(words[a]):
        a += 1
    while b > a and is_salt_word(words[b - 1]):
        b -= 1
    if a == b or (a, b) == (0, len(words)):
        return None
    return " ".join(words[a:b])


def components(name: str) -> list[str] | None:
    """The components of a combination written ``A/B`` or ``A + B`` (two or more, each named),
    or ``None`` for a name written otherwise.

    Example:
        >>> components("sacubitril / valsartan"), components("A + B + C"), components("A/"), components("A")
        (['sacubitril', 'valsartan'], ['A', 'B', 'C'], None, None)
    """
    parts = [" ".join(p.split()) for p in _COMPONENTS.split(name.strip())]
    if len(parts) < 2 or not all(parts):
        return None
    return parts
