"""Small, real evidence files made on the fly (no binary fixtures in the repository)."""

import io

from PIL import Image, ImageDraw


def screenshot(text: str = "Pay 500 GBP by Friday or everyone sees it", size=(360, 640)) -> bytes:  # type: ignore[no-untyped-def]
    """A PNG that looks like a chat screenshot with one message bubble."""
    image = Image.new("RGB", size, (236, 229, 221))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 40, size[0] - 40, 120), 12, fill=(255, 255, 255))
    draw.text((28, 60), text, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
