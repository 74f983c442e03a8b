"""Figures: what templated text may print, and the limits it runs within.

* :mod:`.values` — figures as templates see them (:class:`~.values.Figures`, the period), the
  filters (pct, change, num, cn, cndate, md, range_cn) and the numbers they take;
* :mod:`.limits` — the size limits and the time budget every template runs under;
* :mod:`.sandbox` — the sandboxed Jinja2 environment;
* :mod:`.archive` — the other issues of the folder, for ``prev`` and ``ytd``.

The stage that uses them is :mod:`jianbao.resolve`; table arithmetic is :mod:`jianbao.tables`.
"""

from __future__ import annotations




