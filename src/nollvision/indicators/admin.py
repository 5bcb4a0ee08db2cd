from django.contrib import admin

from .models import Area, Indicator, IndicatorValue, Population


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "kolada_id", "development", "confirmed"]
    list_filter = ["level", "development", "confirmed"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "sex", "value", "status", "source_title"]
    list_filter = ["indicator", "area", "sex", "rounded"]
    search_fields = ["source_title", "source_url"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "sex", "age_from", "age_to", "count"]
    list_filter = ["area", "year"]
