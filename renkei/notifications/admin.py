from django.contrib import admin

from renkei.notifications.models import Mail, MailLanguage, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "read_at"]
    list_filter = ["kind", "read_at"]
    search_fields = ["subject", "recipient__username", "recipient__display_name"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "kind", "subject", "sent_at"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["to", "subject"]
    raw_id_fields = ["notification"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel"]
    list_filter = ["kind", "channel"]
    raw_id_fields = ["user"]


@admin.register(MailLanguage)
class MailLanguageAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    raw_id_fields = ["user"]
