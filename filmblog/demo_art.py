"""
The demo catalogue's artwork, drawn with Pillow: posters, wide stills for the
reviews' header images, and portraits. Each is composed like the real thing
(a motif in the film's colours, title type, a billing block, film grain), so
that the demo shows the pages as they look with real pictures.

Type comes from fonts Debian ships (DejaVu, Liberation), found by name; on a
machine without them Pillow's own scalable font stands in.
"""

import hashlib
import io

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

POSTER_SIZE = (720, 1080)  # 1.5x the largest poster rendition
STILL_SIZE = (1920, 960)  # 1.5x the header rendition
PORTRAIT_SIZE = (480, 480)  # 2x the portrait rendition

# Font files by role, best first.
FONTS = {
    "display": [
        "LiberationSansNarrow-Bold.ttf",
        "DejaVuSansCondensed-Bold.ttf",
        "DejaVuSans-Bold.ttf",
    ],
    "narrow": ["LiberationSansNarrow-Regular.ttf", "DejaVuSansCondensed.ttf", "DejaVuSans.ttf"],
    "serif": ["DejaVuSerif-Italic.ttf", "LiberationSerif-Italic.ttf", "DejaVuSerif.ttf"],
    "sans": ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"],
}


def font(role, size):
    for name in FONTS[role]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # a Pillow without FreeType's scalable default
        return ImageFont.load_default()


# Colours ------------------------------------------------------------------


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def shade(colour, factor):
    """Darker below 1, lighter towards white above 1."""
    if factor <= 1:
        return mix((0, 0, 0), colour, factor)
    return mix(colour, (255, 255, 255), min(1, factor - 1))


def palette(colour):
    """Deep, base, light and a warm accent from the film's one colour."""
    return {
        "deep": shade(colour, 0.25),
        "base": colour,
        "light": shade(colour, 1.55),
        "glow": mix(shade(colour, 1.7), (255, 214, 150), 0.6),
        "ink": (246, 240, 228),
    }


def vertical_gradient(size, top, bottom):
    column = Image.linear_gradient("L").resize((1, 256))
    mask = column.resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def finish(image):
    """A vignette and film grain over the whole picture."""
    width, height = image.size
    vignette = Image.radial_gradient("L").resize((width, height))
    vignette = vignette.point(lambda v: max(0, v - 110) * 1.3)
    image = Image.composite(Image.new("RGB", image.size, (0, 0, 0)), image, vignette)
    grain = Image.effect_noise((width // 2, height // 2), 20).resize((width, height))
    grain = grain.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    return ImageChops.soft_light(image, grain)


def glow(image, centre, radius, colour, strength=0.8):
    """A soft disc of light."""
    layer = Image.new("L", image.size, 0)
    x, y = centre
    ImageDraw.Draw(layer).ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    layer = layer.filter(ImageFilter.GaussianBlur(radius * 0.6))
    layer = layer.point(lambda v: round(v * strength))
    return Image.composite(Image.new("RGB", image.size, colour), image, layer)


# Motifs: each draws a scene into the whole image --------------------------


def sea(image, colours):
    """A low sun over a sea in bands, and an orca's fin breaking the water."""
    width, height = image.size
    horizon = round(height * 0.58)
    sky = mix(colours["light"], colours["glow"], 0.45)
    image.paste(vertical_gradient((width, horizon), colours["deep"], sky), (0, 0))
    image = glow(
        image,
        (round(width * 0.62), horizon - round(height * 0.04)),
        width // 7,
        colours["glow"],
        1,
    )
    sun = ImageDraw.Draw(image)
    r = width // 11
    cx, cy = round(width * 0.62), horizon - round(height * 0.04)
    sun.ellipse((cx - r, cy - r, cx + r, cy + r), fill=mix(colours["glow"], (255, 255, 255), 0.35))
    water = vertical_gradient(
        (width, height - horizon), shade(colours["base"], 0.8), colours["deep"]
    )
    image.paste(water, (0, horizon))
    draw = ImageDraw.Draw(image)
    for i in range(14):
        y = horizon + round((height - horizon) * (i / 14) ** 1.6)
        draw.line(
            [(0, y), (width, y)], fill=shade(colours["light"], 0.7 + i * 0.01), width=1 + i // 4
        )
    # The sun's path on the water.
    for i in range(10):
        y = horizon + 6 + i * round((height - horizon) / 14)
        half = round(r * (1.1 - i * 0.06))
        draw.line([(cx - half, y), (cx + half, y)], fill=colours["glow"], width=3)
    fin_x, base_y = round(width * 0.26), horizon + round((height - horizon) * 0.1)
    fin_h = round(min(width, height) * 0.16)
    draw.polygon(
        [
            (fin_x - fin_h * 0.35, base_y),
            (fin_x + fin_h * 0.05, base_y - fin_h),
            (fin_x + fin_h * 0.12, base_y - fin_h * 0.95),
            (fin_x + fin_h * 0.3, base_y),
        ],
        fill=(12, 14, 18),
    )
    return image


def bars(image, colours):
    """A cell at night: a high window throwing a shaft of light through the bars."""
    width, height = image.size
    image.paste(
        vertical_gradient((width, height), colours["deep"], shade(colours["base"], 0.7)), (0, 0)
    )
    light = Image.new("L", image.size, 0)
    ImageDraw.Draw(light).polygon(
        [
            (width * 0.58, height * 0.08),
            (width * 0.8, height * 0.08),
            (width * 0.62, height),
            (width * 0.08, height),
        ],
        fill=120,
    )
    light = light.filter(ImageFilter.GaussianBlur(width // 40))
    image = Image.composite(Image.new("RGB", image.size, colours["glow"]), image, light)
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        (width * 0.58, height * 0.06, width * 0.8, height * 0.2),
        fill=mix(colours["glow"], (255, 255, 255), 0.5),
    )
    step = width / 9
    for i in range(1, 9):
        x = round(i * step)
        draw.rectangle((x - width // 90, 0, x + width // 90, height), fill=(10, 9, 8))
    draw.rectangle(
        (0, round(height * 0.2), width, round(height * 0.2) + width // 70), fill=(10, 9, 8)
    )
    # A lone figure standing in the light.
    fx, fy, scale = width * 0.42, height * 0.93, height / 900
    draw.ellipse(
        (fx - 22 * scale, fy - 250 * scale, fx + 22 * scale, fy - 200 * scale), fill=(14, 12, 10)
    )
    draw.rounded_rectangle(
        (fx - 48 * scale, fy - 198 * scale, fx + 48 * scale, fy),
        radius=30 * scale,
        fill=(14, 12, 10),
    )
    return image


def keys(image, colours):
    """Piano keys running into the dark under a spotlight."""
    width, height = image.size
    image.paste(
        vertical_gradient((width, height), colours["deep"], shade(colours["base"], 0.6)), (0, 0)
    )
    image = glow(
        image, (round(width * 0.5), round(height * 0.35)), width // 3, colours["light"], 0.55
    )
    side = max(width, height)
    keyboard = Image.new("RGB", (round(side * 1.5), round(side * 0.3)), (238, 232, 222))
    draw = ImageDraw.Draw(keyboard)
    key = keyboard.width / 21
    for i in range(22):
        x = round(i * key)
        draw.line([(x, 0), (x, keyboard.height)], fill=(40, 36, 40), width=3)
        if i % 7 not in (2, 6):
            draw.rectangle(
                (x + key * 0.62, 0, x + key * 1.38, keyboard.height * 0.6), fill=(16, 14, 18)
            )
    keyboard = keyboard.rotate(
        -12, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0)
    )
    mask = keyboard.convert("L").point(lambda v: 255 if v > 0 else 0)
    image.paste(keyboard, (-round(side * 0.25), round(height * 0.4)), mask)
    # A hand's shadow falling across the keys.
    shadow = Image.new("L", image.size, 0)
    ImageDraw.Draw(shadow).ellipse(
        (width * 0.15, height * 0.6, width * 0.75, height * 1.05), fill=150
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(width // 12))
    return Image.composite(Image.new("RGB", image.size, colours["deep"]), image, shadow)


MOTIFS = {"sea": sea, "bars": bars, "keys": keys}


# Type --------------------------------------------------------------------


def _wrap(draw, text, face, width):
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines


def _spaced(text, gap):
    return (" " * gap).join(text)


def centred(draw, y, text, face, fill, width):
    length = draw.textlength(text, font=face)
    draw.text(((width - length) / 2, y), text, font=face, fill=fill)


def title_block(draw, title, width, top, max_height, fill):
    """The title as large as fits in at most three lines; returns the y under it."""
    margin = width * 0.08
    for size in range(round(width * 0.2), 20, -4):
        face = font("display", size)
        lines = _wrap(draw, title.upper(), face, width - 2 * margin)
        line_height = round(size * 0.98)
        if len(lines) <= 3 and line_height * len(lines) <= max_height:
            break
    y = top
    for line in lines:
        centred(draw, y, line, face, fill, width)
        y += line_height
    return y


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, optimize=True)
    return buffer.getvalue()


# The pieces -------------------------------------------------------------


def make_poster(spec):
    """A poster (JPEG) for a demo film: its motif, title, tagline and billing block."""
    width, height = POSTER_SIZE
    colours = palette(spec.colour)
    image = MOTIFS[spec.motif](Image.new("RGB", POSTER_SIZE, colours["deep"]), colours)
    # Darken the lower part so the type reads.
    fade = (
        Image.linear_gradient("L")
        .resize((width, height))
        .point(lambda v: min(255, max(0, v - 70) * 1.7))
    )
    image = Image.composite(Image.new("RGB", POSTER_SIZE, colours["deep"]), image, fade)
    image = finish(image)
    draw = ImageDraw.Draw(image)
    director = spec.crew["director"][0]
    centred(
        draw,
        44,
        _spaced(f"A FILM BY {director.upper()}", 1),
        font("narrow", 22),
        colours["ink"],
        width,
    )
    stars = "   ".join(name.upper() for name, _ in spec.cast[:2])
    centred(draw, 80, stars, font("narrow", 26), colours["ink"], width)
    y = title_block(
        draw, spec.title, width, round(height * 0.6), round(height * 0.2), colours["ink"]
    )
    face = font("serif", 26)
    for line in _wrap(draw, spec.tagline, face, width * 0.88):
        centred(draw, y + 6, line, face, colours["glow"], width)
        y += 32
    writers = " & ".join(name.upper() for name in spec.crew["writer"][:2])
    camera, music = spec.crew["cinematographer"][0], spec.crew["composer"][0]
    billing = [
        f"DIRECTED BY {director.upper()}   WRITTEN BY {writers}",
        f"CINEMATOGRAPHY {camera.upper()}   MUSIC {music.upper()}",
    ]
    face = font("narrow", 15)
    for i, line in enumerate(billing):
        centred(draw, height - 78 + i * 19, line, face, shade(colours["ink"], 0.75), width)
    centred(
        draw, height - 30, str(spec.year), font("sans", 14), shade(colours["ink"], 0.75), width
    )
    return _jpeg(image)


def make_still(spec):
    """A wide still (JPEG) for a review's header: the film's motif, without type."""
    colours = palette(spec.colour)
    image = MOTIFS[spec.motif](Image.new("RGB", STILL_SIZE, colours["deep"]), colours)
    return _jpeg(finish(image))


# Where the subject of the body still stands: its focal point (x, y, 0..1).
BODY_STILL_FOCUS = (0.8, 0.42)


def make_body_still(spec):
    """
    A 16:9 still (JPEG) for a review's text, its subject off-centre: a lit
    figure at the right, at ``BODY_STILL_FOCUS``, which every crop must keep.
    """
    colours = palette(spec.colour)
    size = (1600, 900)
    image = MOTIFS[spec.motif](Image.new("RGB", size, colours["deep"]), colours)
    width, height = size
    cx, cy = width * BODY_STILL_FOCUS[0], height * BODY_STILL_FOCUS[1]
    image = glow(image, (round(cx), round(cy)), width // 6, colours["glow"], 0.9)
    draw = ImageDraw.Draw(image)
    figure = shade(colours["deep"], 0.3)
    draw.ellipse((cx - 34, cy - 120, cx + 34, cy - 40), fill=figure)
    draw.rounded_rectangle((cx - 70, cy - 36, cx + 70, cy + 170), radius=50, fill=figure)
    return _jpeg(finish(image))


def make_portrait(name):
    """A portrait (PNG): a head-and-shoulders silhouette in light, on a tinted ground."""
    digest = hashlib.sha1(name.encode()).digest()
    hue = (60 + digest[0] % 150, 50 + digest[1] % 110, 50 + digest[2] % 130)
    colours = palette(hue)
    width, height = PORTRAIT_SIZE
    image = vertical_gradient(PORTRAIT_SIZE, colours["light"], colours["base"])
    image = glow(
        image, (round(width * 0.3), round(height * 0.25)), width // 3, colours["glow"], 0.7
    )
    draw = ImageDraw.Draw(image)
    figure = shade(colours["base"], 0.35)
    cx = width / 2
    draw.ellipse((cx - width * 0.16, height * 0.22, cx + width * 0.16, height * 0.62), fill=figure)
    draw.rounded_rectangle(
        (cx - width * 0.36, height * 0.66, cx + width * 0.36, height * 1.2),
        radius=width * 0.18,
        fill=figure,
    )
    draw.rectangle(
        (cx - width * 0.07, height * 0.55, cx + width * 0.07, height * 0.7), fill=figure
    )
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    centred(
        draw, height * 0.8, initials, font("display", round(height * 0.1)), colours["glow"], width
    )
    return _png(finish(image))
