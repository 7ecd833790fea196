"""The OpenAPI 3.1 description the service serves at ``/api/openapi.json``."""

from __future__ import annotations

from .config import Config

_ERROR = {"type": "object", "required": ["error", "message"],
          "properties": {"error": {"type": "string"}, "message": {"type": "string", "description": "suomeksi"}}}
_PROBLEM = {"type": "object", "properties": {
    "file": {"type": "string"}, "field": {"type": "string"}, "line": {"type": "integer"},
    "column": {"type": "integer"}, "message": {"type": "string"}, "hint": {"type": "string"},
    "severity": {"type": "string", "enum": ["error", "warning"]}}}
_STATES = ["received", "processing", "published", "returned"]


def _json(schema: dict | str, description: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def document(config: Config) -> dict:
    """The API description; record bodies follow the registry's JSON Schemas in ``schemas/``."""
    errors = {str(code): _json("Error", text) for code, text in (
        (400, "Virheellinen JSON, väärät tyypit, tuntematon laji tai kenttä, täytetty ansakenttä."),
        (409, "Sama lähetys tai sama uusi tiedosto on jo käsittelyssä."),
        (413, f"Liian suuri (yli {config.max_body // 1024} kt)."), (415, "Ei JSONia."),
        (429, "Liian monta lähetystä; katso Retry-After."), (503, "Rekisteriä ei vielä ole haettu."))}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kehto intake", "version": "1",
                 "description": "Vastaanottaa kehittämistekoja, käyttöönottoja ja korjausehdotuksia ja vie ne "
                                "rekisterin git-etävarastoon haaroiksi intake/<kuitti>."},
        "servers": [{"url": config.base_url}],
        "paths": {
            "/api/submissions": {"post": {
                "summary": "Lähetä tietue", "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SubmissionRequest"}}}},
                "responses": {"202": _json("Receipt", "Vastaanotettu ja tallennettu."),
                              "422": _json("Invalid", "Samat ongelmat kuin kehto validate antaa."), **errors}}},
            "/api/submissions/{receipt}": {"get": {
                "summary": "Lähetyksen tila",
                "parameters": [{"name": "receipt", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("Status", "Tila."), "404": _json("Error", "Kuittia ei löydy.")}}},
            "/api/organisations": {"get": {
                "summary": "Organisaatiot alkukirjaimilla (enintään 20)",
                "parameters": [{"name": "prefix", "in": "query", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}}}}, "Osumat.")}}},
            "/api/altcha": {"get": {"summary": "ALTCHA-tehtävä (vain kun työntodistus on käytössä)",
                                    "responses": {"200": _json({"type": "object"}, "Tehtävä."),
                                                  "404": _json("Error", "Ei käytössä.")}}},
            "/api/health": {"get": {"summary": "Toiminnassa?", "responses": {"200": _json({"type": "object"}, "OK")}}},
            "/api/openapi.json": {"get": {"summary": "Tämä kuvaus",
                                          "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}}},
        },
        "components": {"schemas": {
            "Error": _ERROR,
            "Invalid": {**_ERROR, "properties": {**_ERROR["properties"],
                                                 "problems": {"type": "array", "items": _PROBLEM}}},
            "SubmissionRequest": {"type": "object", "required": ["kind", "record"], "additionalProperties": False,
                                  "properties": {
                "kind": {"enum": ["practice", "adoption", "correction"]},
                "record": {"type": "object", "description": "Tietue kuten YAML-tiedostossa (schemas/practice.schema."
                                                           "json tai adoption.schema.json); submitted asetetaan."},
                "organisation": {"type": "object", "description": "Uusi organisaatio (organisation.schema.json)."},
                "message": {"type": "string", "maxLength": 2000, "description": "Viesti toimittajille (pakollinen "
                            "korjausehdotuksessa); näkyy pull requestissa."},
                "consent": {"type": "boolean", "description": "Yhteyshenkilö suostuu tietojensa julkaisuun."},
                "website": {"type": "string", "maxLength": 0, "description": "Ansakenttä: jätä tyhjäksi."},
                "altcha": {"type": "string", "description": "Ratkaistu ALTCHA-tehtävä, kun se on käytössä."}}},
            "Receipt": {"type": "object", "properties": {
                "receipt": {"type": "string"}, "status": {"enum": _STATES}, "status_label": {"type": "string"},
                "status_url": {"type": "string"}, "received_at": {"type": "string", "format": "date-time"},
                "files": {"type": "array", "items": {"type": "string"}}}},
            "Status": {"type": "object", "properties": {
                "receipt": {"type": "string"}, "kind": {"type": "string"}, "status": {"enum": _STATES},
                "status_label": {"type": "string"}, "received_at": {"type": "string"},
                "branch": {"type": ["string", "null"]}, "pull_request": {"type": ["string", "null"]},
                "message": {"type": ["string", "null"]}, "record_id": {"type": "string"},
                "title": {"type": "string"}}},
        }},
    }
