"""OpenAPI for the public API: each operation's parameters come from the same declarations that check them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For each bad parameter (by its name), what is wrong with it.",
    )

    class Meta:
        ref_name = "ParameterErrors"


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

    class Meta:
        ref_name = "ErrorDetail"


MANY_NOTE = " Repeat the parameter for several values."


class PublicApiSchema(AutoSchema):
    def get_override_parameters(self):
        return [
            OpenApiParameter(
                param.name,
                type={"type": "array", "items": param.schema} if param.many else param.schema,
                location=OpenApiParameter.QUERY,
                description=param.description + (MANY_NOTE if param.many else ""),
                style="form" if param.many else None,
                explode=True if param.many else None,
            )
            for param in self.view.declared_params()
        ]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses["400"] = self._get_response_for_code(ErrorsSerializer, "400", direction=direction)
        if not self._is_list_view():
            responses["404"] = self._get_response_for_code(DetailSerializer, "404", direction=direction)
        responses["429"] = self._get_response_for_code(DetailSerializer, "429", direction=direction)
        return responses


def only_v1(endpoints):
    """drf-spectacular preprocessing hook: the endpoints of /api/v1/ only."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
