"""油烟监测站点: the supervisor's view of the monitored restaurants (DESIGN.md §3, §6)."""

from __future__ import annotations

from ui.sites.chart import ReadingsChart, ZonedTimeAxis
from ui.sites.cleaning_form import CleaningForm
from ui.sites.dialog import SitesDialog
from ui.sites.model import Column, SiteFilterProxy, SiteListModel, SiteStatus, site_status

__all__ = ["CleaningForm", "Column", "ReadingsChart", "SiteFilterProxy", "SiteListModel",
           "SiteStatus", "SitesDialog", "ZonedTimeAxis", "site_status"]
