"""`ini show` as text and JSON: a pure function of an effective configuration."""

from __future__ import annotations

from pathlib import Path

from jettycfg.jetty.base import EffectiveConfig, Property

MASK = "********"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def origin_text(prop: Property, root: Path) -> str:
    """``file:line`` relative to the base (``(as old.name)`` for an alias), or ``default``."""
    if prop.origin is None:
        return "default"
    text = f"{_relative(prop.origin.file, root)}:{prop.origin.line}"
    return f"{text} (as {prop.via_alias})" if prop.via_alias else text


def shown(prop: Property, show_secrets: bool) -> str:
    """The value as displayed: a password is masked unless asked."""
    return MASK if prop.secret and not show_secrets and prop.value else prop.value


def _sorted(config: EffectiveConfig) -> list[Property]:
    return sorted(config.properties.values(), key=lambda p: p.key.lower())


def render_ini_text(config: EffectiveConfig, show_secrets: bool) -> str:
    """The table `ini show` prints (warnings about config.errors are the caller's)."""
    props = _sorted(config)
    version = config.version
    vtext = str(version) if version else "unknown (defaults not shown; give --jetty-version)"
    modules = ", ".join(dict.fromkeys(m for m, _ in config.modules)) or "(none)"
    lines = [
        f"Jetty base:    {config.base}",
        f"Jetty version: {vtext}",
        f"Modules:       {modules}",
        "",
    ]
    width = max((len(p.key) for p in props), default=10)
    vwidth = min(max((len(shown(p, show_secrets)) for p in props), default=5), 40)
    for prop in props:
        value = shown(prop, show_secrets)
        lines.append(f"{prop.key:<{width}}  {value:<{vwidth}}  {origin_text(prop, config.base)}")
    return "\n".join(lines) + "\n"


def ini_json(config: EffectiveConfig, show_secrets: bool) -> dict[str, object]:
    """The JSON document of `ini show --format json`."""
    return {
        "base": str(config.base),
        "jetty_version": str(config.version) if config.version else None,
        "errors": config.errors,
        "modules": [{"name": m, "file": str(o.file), "line": o.line} for m, o in config.modules],
        "properties": [
            {
                "key": p.key,
                "value": shown(p, show_secrets),
                "raw": MASK if p.secret and not show_secrets and p.raw else p.raw,
                "default": p.is_default,
                "secret": p.secret,
                "file": str(p.origin.file) if p.origin else None,
                "line": p.origin.line if p.origin else None,
                "via_alias": p.via_alias,
            }
            for p in _sorted(config)
        ],
    }
