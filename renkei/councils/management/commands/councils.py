from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.councils import actions
from renkei.councils.models import Survey
from renkei.councils.results import aggregate_rows, answer_rows
from renkei.lib import commands, spreadsheets


class Command(BaseCommand):
    help = _(
        "協議会・調査の操作（surveys: 調査と回答の状況 / remind-surveys: 期限を過ぎた調査を"
        "締め切り、期限前の週に未回答の団体へ督促する / export-survey: 集計か団体ごとの回答を"
        "書き出す）"
    )

    def add_arguments(self, parser):
        sub = commands.subcommands(parser)
        sub.add_parser("surveys", help=_("調査と回答の状況を表示する"))
        sub.add_parser("remind-surveys", help=_("締切と督促（毎日の処理と同じ）"))
        export = sub.add_parser("export-survey", help=_("調査の結果を書き出す"))
        export.add_argument("slug")
        export.add_argument("--answers", action="store_true", help=_("団体ごとの回答を書き出す"))
        commands.add_export_arguments(export, ["csv", "xlsx"])

    def handle(self, *args, action, **options):
        if action == "surveys":
            for survey in Survey.objects.order_by("-created_at"):
                self.stdout.write(
                    f"{survey.slug}\t{survey.get_status_display()}\t"
                    + _("%(a)s / %(n)s 団体が回答")
                    % {"a": survey.responses.count(), "n": survey.invitations.count()}
                    + f"\t{survey.title}"
                )
        elif action == "remind-surveys":
            closed = actions.close_expired_surveys()
            told = actions.send_survey_reminders()
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(c)s 件の調査を締め切り、%(t)s 団体に督促しました。")
                    % {"c": closed, "t": told}
                )
            )
        elif action == "export-survey":
            survey = Survey.objects.filter(slug=options["slug"]).first()
            if survey is None:
                raise CommandError(_("調査「%(s)s」はありません。") % {"s": options["slug"]})
            header, rows = answer_rows(survey) if options["answers"] else aggregate_rows(survey)

            def write(format, stream_or_path):
                if format == "xlsx":
                    spreadsheets.write_xlsx(stream_or_path, header, rows, title="survey")
                else:
                    spreadsheets.write_csv(stream_or_path, header, rows)
                return len(rows)

            commands.export(
                self,
                write,
                format=options["format"],
                output=options["output"],
                stdout=options.get("stdout"),
            )
