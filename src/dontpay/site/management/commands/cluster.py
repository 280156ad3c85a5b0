"""`dontpay cluster pack ID -o OUT.zip` and `dontpay cluster graphml ID -o OUT.graphml`.

The referral pack holds, per report, only what its author sent; both exports are audited (actor
"command"), and the pack is recorded in the custody chain of every sent report it holds.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from dontpay.accounts.audit import audit_by_command
from dontpay.domain.correlate import EmptyCluster
from dontpay.intel.clusters import explain_cluster
from dontpay.intel.referral import graphml_export, referral_pack
from dontpay.site.commands import BadInput, ProductCommand, output_file


class Command(ProductCommand):
    help = "Write a cluster's signed referral pack for police, or its graph as GraphML."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        pack = actions.add_parser("pack", help="write the cluster's signed referral pack")
        graphml = actions.add_parser("graphml", help="write the cluster's graph as GraphML")
        for action, suffix in ((pack, "zip"), (graphml, "graphml")):
            action.add_argument("cluster", type=int, metavar="CLUSTER_ID")
            action.add_argument("-o", "--output", required=True, metavar=f"OUT.{suffix}")
            action.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        cluster_id: int = options["cluster"]
        output = Path(options["output"])
        target = f"cluster {cluster_id}"
        with output_file(output) as out:
            try:
                if options["action"] == "pack":
                    pack = referral_pack(cluster_id, actor="command")
                    data, sent = pack.data, pack.sent_references
                    detail: dict[str, str | int] = {
                        "format": "referral-pack",
                        "reports_sent": len(sent),
                    }
                else:
                    data, sent = graphml_export(explain_cluster(cluster_id)), ()
                    detail = {"format": "graphml"}
            except EmptyCluster:
                raise BadInput(f"cluster: no cluster {cluster_id}") from None
            out.write(data)
        audit_by_command("cluster.exported", target, **detail)
        for reference in sent:
            audit_by_command("case.referred", reference, cluster=cluster_id)
        if options["json"]:
            self.stdout.write(json.dumps({"output": str(output), "bytes": len(data), **detail}))
        else:
            self.stdout.write(f"wrote {output}")
