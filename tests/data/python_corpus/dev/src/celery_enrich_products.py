from celery import shared_task
from django.db import transaction
from openai import OpenAI

from catalog.models import Product

client = OpenAI()

DESCRIPTION_PROMPT = """Write a product description of 60 to 80 words for an online shop.
Mention the material and the main use. Do not invent features that are not listed.

Product: {name}
Features: {features}"""


@shared_task
def enrich_products(category_id: int) -> int:
    updated = 0
    for product in Product.objects.filter(category_id=category_id, description=""):
        completion = client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[
                {
                    "role": "user",
                    "content": DESCRIPTION_PROMPT.format(name=product.name, features=", ".join(product.features)),
                }
            ],
        )
        with transaction.atomic():
            product.description = completion.choices[0].message.content
            product.save(update_fields=["description"])
        updated += 1
    return updated
