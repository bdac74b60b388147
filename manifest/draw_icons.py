"""Draw the Teams app icons: ``python -m manifest.draw_icons`` rewrites color.png and outline.png.

The PNGs are committed; run this only after changing the drawing. Shapes are drawn at 8x and
scaled down, which gives smooth edges without needing a font on the machine.

- color.png, 192x192: a calm blue square (Teams rounds the corners itself) with a white speech
  bubble holding a blue check mark.
- outline.png, 32x32: the same bubble in white on a fully transparent background, the check mark
  cut out. Teams requires every visible pixel of the outline icon to be white.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

# The accent colour of the manifest (accentColor) is the same blue.
BLUE = (37, 99, 145)
WHITE = (255, 255, 255)
SCALE = 8

COLOR_SIZE = 192
OUTLINE_SIZE = 32

HERE = Path(__file__).resolve().parent


def _bubble_mask(
    size: int, *, box: tuple[float, float, float, float], check_width: float
) -> tuple[Image.Image, Image.Image]:
    """Masks (mode L, ``size`` square) of a speech bubble and of the check mark inside it.

    ``box`` is the bubble body as fractions of the side (left, top, right, bottom); the tail
    hangs below its lower left part.
    """
    big = size * SCALE
    left, top, right, bottom = (v * big for v in box)
    radius = (bottom - top) * 0.28

    bubble = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(bubble)
    draw.rounded_rectangle((left, top, right, bottom), radius=radius, fill=255)
    width = right - left
    height = bottom - top
    tail = [
        (left + width * 0.20, bottom - 1),
        (left + width * 0.44, bottom - 1),
        (left + width * 0.14, bottom + height * 0.30),
    ]
    draw.polygon(tail, fill=255)

    check = Image.new("L", (big, big), 0)
    cdraw = ImageDraw.Draw(check)
    cx, cy = left + width / 2, top + height / 2
    points = [
        (cx - width * 0.22, cy + height * 0.02),
        (cx - width * 0.06, cy + height * 0.20),
        (cx + width * 0.24, cy - height * 0.20),
    ]
    stroke = int(check_width * big)
    cdraw.line(points, fill=255, width=stroke, joint="curve")
    # Round caps: Pillow's line has square ends.
    for x, y in (points[0], points[-1]):
        r = stroke / 2
        cdraw.ellipse((x - r, y - r, x + r, y + r), fill=255)

    return (
        bubble.resize((size, size), Image.Resampling.LANCZOS),
        check.resize((size, size), Image.Resampling.LANCZOS),
    )


def draw_color() -> Image.Image:
    """The 192x192 full-colour icon (fully opaque)."""
    bubble, check = _bubble_mask(COLOR_SIZE, box=(0.20, 0.22, 0.80, 0.68), check_width=0.055)
    image = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), (*BLUE, 255))
    image.paste(Image.new("RGBA", image.size, (*WHITE, 255)), (0, 0), bubble)
    image.paste(Image.new("RGBA", image.size, (*BLUE, 255)), (0, 0), check)
    return image


def draw_outline() -> Image.Image:
    """The 32x32 outline icon: white shape, transparent everywhere else."""
    bubble, check = _bubble_mask(OUTLINE_SIZE, box=(0.06, 0.10, 0.94, 0.72), check_width=0.10)
    # Cut the check mark out of the bubble: alpha = bubble * (1 - check).
    alpha = ImageChops.multiply(bubble, ImageChops.invert(check))
    # Every pixel is white; only alpha carries the shape, so no coloured fringe can appear.
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (*WHITE, 0))
    image.putalpha(alpha)
    return image


def main() -> None:
    """Write color.png and outline.png next to this file."""
    draw_color().save(HERE / "color.png", optimize=True)
    draw_outline().save(HERE / "outline.png", optimize=True)
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")


if __name__ == "__main__":
    main()
