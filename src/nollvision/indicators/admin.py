from django.contrib import admin

from .models import Area, Indicator, IndicatorValue, Population


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kolada_id", "development", "confirmed"]
    list_filter = ["development", "confirmed"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "sex", "value", "status"]
    list_filter = ["indicator", "area", "sex"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "sex", "age_from", "age_to", "count"]
    list_filter = ["area", "year"]
