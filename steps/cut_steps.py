"""Cuts through Mux: uploads, Mux's signed reports, a cut's life, its deletion, data residency."""
from behave import given, then, use_fixture, when
from hamcrest import assert_that, contains_exactly, contains_string, empty, equal_to, has_entries, has_key, is_not, not_none

from support.drivers import audit, cuts, projects, sessions, sharing, tasks, work
from support.fixtures import held_portal_clock
from support.harness import clock
from support.fakes import mux as mux_fake
from support.harness.expect import answered, refused

GIB = 1024 ** 3
SIZES = {"50 GiB": 50 * GIB, "50 GiB and 1 byte": 50 * GIB + 1}


def _upload(context, who, title, version, **changes):
    world = context.world
    client = world.actor(who).client
    project = work.the_project(world)
    world.work.references = [projects.attempt_add_cut(client, work.NEVER_ISSUED_ID, title, version, **changes)]
    return cuts.start_upload(world, client, project.id, title, version, **changes)


# -- uploads ---------------------------------------------------------------------------------------

@when('{who:persona} uploads "{title:q}" v{version:count}')
def step_upload(context, who, title, version):
    _upload(context, who, title, version)


@when('{who:persona} uploads "{title:q}" v{version:count}, a file of {size}')
def step_upload_size(context, who, title, version, size):
    _upload(context, who, title, version, size_bytes=SIZES[size])


@when('{who:persona} uploads "{title:q}" v{version:count} as a {content_type} file')
def step_upload_type(context, who, title, version, content_type):
    _upload(context, who, title, version, content_type=content_type)


@when('{who:persona} uploads "{title:q}" v{version:count} with the {field} "{value:q}"')
def step_upload_with_field(context, who, title, version, field, value):
    _upload(context, who, title, version, **{field: value})


@when("{who:persona} uploads a cut with its title, file name and content type left blank")
def step_upload_blank(context, who):
    _upload(context, who, "", 4, file_name="", content_type="")


@then("the upload is refused, naming the title, the file name and the content type at once")
def step_refused_naming_all(context):
    world = context.world
    body = answered(world, world.last_answer, 422, meaning="the upload to be refused for its blank fields").json()
    assert_that(body["error"]["fields"], has_entries(title=not_none(), file_name=not_none(), content_type=not_none()))


@given("Mux {trouble:mux_trouble}")
def step_mux_trouble(context, trouble):
    cuts.MUX_TROUBLE[trouble](cuts.mux(context.world))


@then("{who:persona} is given Mux's upload address for the file")
def step_given_upload_address(context, who):
    world = context.world
    body = answered(world, world.last_answer, 201, meaning="the upload to be accepted").json()
    upload = cuts.the_upload(world)
    assert_that(body["upload_url"], equal_to(upload.url))
    assert_that(body, has_entries(status="uploading", title=projects.the_cut(world).title))


@then('the cut "{title:q}" is {status:cut_status}')
def step_cut_is(context, title, status):
    world = context.world
    assert_that(cuts.cut_row(world, projects.the_cut(world, title).id)["status"], equal_to(cuts.STATUSES[status]))


@then("Mux was asked, with the studio's access token, for an upload for this cut only, played only through signed addresses")
def step_mux_asked(context):
    world = context.world
    upload, cut = cuts.the_upload(world), projects.the_cut(world)
    assert_that(upload.environment.residency, equal_to(cut.data_residency))
    assert_that(upload.body, has_entries(cors_origin=world.run.portal.settings.public_url,
                                         timeout=world.run.portal.settings.mux_upload_timeout_seconds))
    assert_that(upload.body["new_asset_settings"], has_entries(playback_policies=["signed"], passthrough=cut.public_id))
    assert_that(cuts.cut_row(world, cut.id)["mux_upload_id"], equal_to(upload.id))


@then("the upload is accepted")
def step_upload_accepted(context):
    answered(context.world, context.world.last_answer, 201, meaning="the upload to be accepted")


@then("the upload is refused, saying files may be at most {size}")
def step_refused_saying_limit(context, size):
    """422 naming size_bytes, with the limit in the unit a person reads ("(50 GiB)")."""
    world = context.world
    body = answered(world, world.last_answer, 422, meaning="the upload to be refused for its size").json()
    assert_that(body["error"]["fields"], has_entries(size_bytes=contains_string(f"({size})")))


@then("the upload is refused, naming the {field}")
def step_refused_naming(context, field):
    world = context.world
    field = field.replace("content type", "content_type")
    body = answered(world, world.last_answer, 422, meaning=f"the upload to be refused for its {field}").json()
    assert_that(body["error"]["fields"], has_key(field))


@then("no cut is created and Mux is not asked for anything")
def step_nothing_created(context):
    world = context.world
    assert_that(cuts.cuts_in(world, work.the_project(world).id), equal_to(0))
    assert_that(cuts.mux(world).calls, empty())


@then("the project has no cut")
def step_project_has_no_cut(context):
    assert_that(cuts.cuts_in(context.world, work.the_project(context.world).id), equal_to(0))


@then("Theo is told the video service is not answering")
def step_told_not_answering(context):
    world = context.world
    refused(world, world.last_answer, 503, "video_service_unavailable", meaning="the upload to be refused for now")


@then("Theo is told the video service refused the upload")
def step_told_refused(context):
    world = context.world
    refused(world, world.last_answer, 502, "video_service_refused", meaning="the upload to be refused")


@then("the portal's log names Mux's refusal but not the access token's secret")
def step_log_names_refusal(context):
    world = context.world
    lines = world.run.log.request_lines(world.last_answer.header("x-request-id"))
    assert any("Unauthorized request" in line and "401" in line for line in lines), lines
    secrets = [e.token_secret for e in mux_fake.ENVIRONMENTS.values()]
    leaked = [line for line in lines if any(s in line for s in secrets)]
    assert not leaked, f"the log shows an access token's secret: {leaked}"


# -- Mux's reports -----------------------------------------------------------------------------------

@given('{who:persona} has uploaded "{title:q}" v{version:count}')
def step_has_uploaded(context, who, title, version):
    world = context.world
    sessions.ensure_signed_in(world, who)
    answered(world, _upload(context, who, title, version), 201, meaning="the upload to be accepted")


@given("Mux has reported that {report:mux_report}")
@when("Mux reports that {report:mux_report}")
def step_mux_reports(context, report):
    world = context.world
    cuts.send_report(world, cuts.REPORTS[report], cuts.the_upload(world))


@when("Mux finishes processing it")
def step_mux_finishes(context, **ready):
    world = context.world
    for event_type in ("video.upload.asset_created", "video.asset.created", "video.asset.ready"):
        details = ready if event_type == "video.asset.ready" else {}
        answered(world, cuts.send_report(world, event_type, cuts.the_upload(world), **details), 200,
                 meaning="Mux's report to be taken")




@when('Mux reports that it could not process the cut, saying "{message:q}"')
def step_mux_could_not(context, message):
    world = context.world
    cuts.send_report(world, "video.asset.errored", cuts.the_upload(world), asset_errors=[message])


@when("Mux sends the same report again")
def step_same_again(context):
    world = context.world
    world.cuts.answers.append(world.last_answer)
    cuts.send_body(world, world.cuts.sent[-1], [cuts.the_upload(world).environment.webhook_secret])


@given("the portal's clock stands still")
def step_portal_clock_still(context):
    context.world.cuts.held_clock = use_fixture(held_portal_clock, context)


@when("Mux reports that the cut is ready, signed {seconds:count} seconds {side:before_after} the portal's time")
def step_ready_signed_at(context, seconds, side):
    world = context.world
    at = int(world.cuts.held_clock.time()) + (seconds if side == "after" else -seconds)
    cuts.send_report(world, "video.asset.ready", cuts.the_upload(world), timestamp=at)


@when("Mux reports that the cut is ready, signed with the retired and the current secret")
def step_ready_rotating(context):
    world = context.world
    upload = cuts.the_upload(world)
    cuts.send_report(world, "video.asset.ready", upload,
                     secrets=[mux_fake.RETIRED_WEBHOOK_SECRET, upload.environment.webhook_secret])


@when('Mux reports that the cut is ready, its signature also carrying "{part}"')
def step_ready_unknown_part(context, part):
    world = context.world
    cuts.send_with_unknown_signature_part(world, cuts.the_upload(world), part)


@when("Mux reports that the cut is ready, with only a public playback id")
def step_ready_public(context):
    world = context.world
    cuts.send_report(world, "video.asset.ready", cuts.the_upload(world), playback_policy="public")


@then("the cut has no playback id")
def step_no_playback_id(context):
    world = context.world
    assert_that(cuts.cut_row(world, projects.the_cut(world).id)["playback_id"], equal_to(None))


@when("Mux reports that the cut is ready, signed with only the retired secret")
def step_ready_retired(context):
    world = context.world
    cuts.send_report(world, "video.asset.ready", cuts.the_upload(world), secrets=[mux_fake.RETIRED_WEBHOOK_SECRET])


@when("a report that the cut is ready arrives with a {problem:bad_signature} signature")
def step_bad_signature(context, problem):
    cuts.send_with_bad_signature(context.world, cuts.the_upload(context.world), problem)


@when("Mux sends a signed report that is not a Mux event")
def step_not_an_event(context):
    world = context.world
    cuts.send_body(world, {"hello": "world", "data": "not an object"}, [cuts.the_upload(world).environment.webhook_secret])


@when('Mux sends a signed report of the kind "{event_type:q}"')
def step_other_kind(context, event_type):
    world = context.world
    cuts.send_report(world, event_type, cuts.the_upload(world))


@when("Mux reports that a cut the portal never uploaded is ready")
def step_unknown_cut(context):
    world = context.world
    stranger = cuts.stranger_upload()
    cuts.send_report(world, "video.asset.ready", stranger)


@then("Mux's report is acknowledged")
def step_acknowledged(context):
    world = context.world
    body = answered(world, world.last_answer, 200, meaning="Mux's report to be acknowledged").json()
    assert_that(body["status"], equal_to("accepted"))


@then("Mux's report is acknowledged as already received")
def step_acknowledged_duplicate(context):
    world = context.world
    body = answered(world, world.last_answer, 200, meaning="the redelivery to be acknowledged").json()
    assert_that(body, has_entries(status="duplicate"))


@then("the portal has recorded the report once")
def step_recorded_once(context):
    world = context.world
    recorded = cuts.recorded_reports(world, world.cuts.sent[-1]["id"])
    assert_that(len(recorded), equal_to(1))
    assert_that(recorded[0]["outcome"], equal_to("applied"))


@then("the portal has recorded the report as {outcome}")
def step_recorded_as(context, outcome):
    world = context.world
    expected = {"ignored": "ignored", "about an unknown cut": "unknown_cut"}[outcome]
    recorded = cuts.recorded_reports(world, world.cuts.sent[-1]["id"])
    assert_that([r["outcome"] for r in recorded], equal_to([expected]))


@then("the portal has recorded which of Mux's assets the report was about")
def step_recorded_object(context):
    world = context.world
    sent = world.cuts.sent[-1]
    recorded = cuts.recorded_reports(world, sent["id"])
    assert_that([r["object_id"] for r in recorded], equal_to([sent["object"]["id"]]))


@then("the report is refused as unsigned")
def step_refused_unsigned(context):
    world = context.world
    refused(world, world.last_answer, 401, "invalid_signature", meaning="the report to be refused")


@then("the report is refused as malformed")
def step_refused_malformed(context):
    world = context.world
    refused(world, world.last_answer, 400, "invalid_report", meaning="the report to be refused as malformed")


@then("the cut plays from the signed playback id Mux reported, and has the duration and aspect ratio Mux reported")
def step_plays_from(context):
    world = context.world
    row = cuts.cut_row(world, projects.the_cut(world).id)
    upload = cuts.the_upload(world)
    assert_that((row["playback_id"], float(row["duration_seconds"]), row["aspect_ratio"]),
                equal_to((upload.playback_id, 272.64, "16:9")))


@then('the cut\'s failure reads "{message:q}"')
def step_failure_reads(context, message):
    world = context.world
    assert_that(cuts.cut_row(world, projects.the_cut(world).id)["failure"], equal_to(message))


@then("{who:persona} gets {count:count} failed cut notice")
def step_failed_notice(context, who, count):
    world = context.world
    world.wait_until_portal_idle()
    notices = [e for e in world.run.resend.emails_to(world.actor(who).email) if e.subject.startswith("Mux could not process")]
    assert_that(len(notices), equal_to(count))
    assert_that(notices[0].text, contains_string(projects.the_cut(world).title))


@given('the upload of "{title:q}" started longer ago than Mux\'s upload timeout')
def step_upload_old(context, title):
    world = context.world
    minutes = world.run.portal.settings.mux_upload_timeout_seconds / 60 + 1
    clock.move_back(world, "assets", ("created_at", "upload_expires_at"), minutes, "id = %s",
                    (projects.the_cut(world, title).id,))


@given('the upload of "{title:q}" started a minute less than Mux\'s upload timeout ago')
def step_upload_recent(context, title):
    world = context.world
    minutes = world.run.portal.settings.mux_upload_timeout_seconds / 60 - 1
    clock.move_back(world, "assets", ("created_at", "upload_expires_at"), minutes, "id = %s",
                    (projects.the_cut(world, title).id,))


@when("{who:persona} runs the abandoned-upload sweep")
def step_run_upload_sweep(context, who):
    world = context.world
    world.operations.task_run = tasks.run(world, sessions.ensure_signed_in(world, who), "cuts.abandoned-upload-sweep")


# -- deletion ----------------------------------------------------------------------------------------

@given("Mux has finished processing it")
def step_has_finished(context, **ready):
    step_mux_finishes(context, **ready)
    cut = projects.the_cut(context.world)
    row = cuts.cut_row(context.world, cut.id)
    context.world.projects.cuts[cut.title] = context.world.projects.cut = projects.Cut(
        **{**vars(cut), "playback_id": row["playback_id"]})


@given("Mux has finished processing it, measuring it at {seconds:g} seconds")
def step_has_finished_measuring(context, seconds):
    step_has_finished(context, duration=seconds)


@given("the cut was carried over from before Mux, still being prepared, with its old playback id")
def step_carried_over(context):
    cuts.carried_over_unfinished(context.world, projects.the_cut(context.world).id)


@given("{who:persona} has deleted the cut")
def step_has_deleted(context, who):
    world = context.world
    projects.delete_cut(world, sessions.ensure_signed_in(world, who), projects.the_cut(world))


@given("Mux will fail the next {count:count} deletion")
@given("Mux will fail the next {count:count} deletions")
def step_fail_deletions(context, count):
    cuts.mux(context.world).fail_next(count, 500, call="delete", message="Internal error while deleting")


@then("Mux has deleted the cut's asset")
def step_mux_deleted(context):
    world = context.world
    cuts.work_through_jobs(world)
    upload = cuts.the_upload(world)
    assert_that(cuts.mux(world).deleted, equal_to([(upload.environment.residency, upload.asset_id)]))


@then("the audit log records that {who:persona} deleted the cut, with the deletion it asked of Mux")
def step_deletion_audited_with_job(context, who):
    world = context.world
    cut = projects.the_cut(world)
    job = cuts.deletion_job(world, cut.id)
    assert_that(audit.entries(world, "asset.deleted", world.actor(who)),
                contains_exactly(has_entries(details=has_entries(asset_id=cut.id, mux_deletion_job_ids=[job["id"]]))))


@then("Mux has not deleted the cut's asset")
def step_mux_not_deleted(context):
    assert_that(cuts.mux(context.world).deleted, empty())


@then("Mux has not been asked to delete anything")
def step_mux_not_asked(context):
    world = context.world
    if not world.email.worker_down:
        cuts.work_through_jobs(world)
    assert_that([c for c in cuts.mux(world).calls if c.startswith("DELETE")], empty())


@then("the deletion at Mux waits to be tried again")
def step_waits_retry(context):
    world = context.world
    cuts.work_through_jobs(world)
    job = cuts.deletion_job(world, projects.the_cut(world).id)
    assert_that(job, has_entries(status="queued", attempts=1))
    assert_that(job["last_error"], contains_string("500"))
    assert_that(cuts.mux(world).deleted, empty())


@when("the time to try again has come")
def step_retry_time(context):
    world = context.world
    cuts.bring_deletion_due(world, projects.the_cut(world).id)


@when("the deletion at Mux has been tried {count:count} times")
def step_tried_n_times(context, count):
    world = context.world
    cut_id = projects.the_cut(world).id
    cuts.work_through_jobs(world)
    for _ in range(count - 1):
        cuts.bring_deletion_due(world, cut_id)
        cuts.work_through_jobs(world)
    assert_that(cuts.deletion_job(world, cut_id)["attempts"], equal_to(count))


@then("the deletion at Mux is set aside as failed, with Mux's answer")
def step_set_aside(context):
    world = context.world
    job = cuts.deletion_job(world, projects.the_cut(world).id)
    assert_that(job, has_entries(status="failed", attempts=5))
    assert_that(job["last_error"], contains_string("Internal error while deleting"))


# -- data residency ----------------------------------------------------------------------------------

RESIDENCIES = {"in Australia": "australia", "anywhere": "anywhere"}


def _mark(context, who, residency):
    world = context.world
    client = sessions.ensure_signed_in(world, who).client
    world.last_answer = client.request("PATCH", f"/projects/{work.the_project(world).id}",
                                       json={"data_residency": residency})


@when("{who:persona} marks the project for Australian data residency")
def step_mark_australia(context, who):
    _mark(context, who, "australia")
    answered(context.world, context.world.last_answer, 200, meaning="the project to be marked")


@when("{who:persona} marks the project as kept {residency}")
def step_mark_as(context, who, residency):
    _mark(context, who, RESIDENCIES[residency])


@given("the project is kept {residency}")
def step_project_kept(context, residency):
    """Arranged as the API would set it: the project has no cut yet."""
    world = context.world
    world.db.execute("UPDATE projects SET data_residency = %s WHERE id = %s",
                     (RESIDENCIES[residency], work.the_project(world).id))


@then("the project is still kept {residency}")
def step_project_still_kept(context, residency):
    world = context.world
    answer = answered(world, world.actor("Theo").client.get(f"/projects/{work.the_project(world).id}"), 200)
    assert_that(answer.json()["data_residency"], equal_to(RESIDENCIES[residency]))


@then("Mux's {which} environment was asked for the upload, with its own access token")
def step_environment_asked(context, which):
    world = context.world
    residency = {"Australian": "australia", "usual": "anywhere"}[which]
    upload = cuts.the_upload(world)
    assert_that(upload.environment.residency, equal_to(residency))
    assert_that(upload.authorization, equal_to(cuts.basic_auth(residency)))


@then('{who:persona} sees that the cut "{title:q}" is kept {residency}')
def step_sees_kept(context, who, title, residency):
    world = context.world
    answer = answered(world, projects.read_cut(world.actor(who).client, projects.the_cut(world, title).id), 200)
    assert_that(answer.json()["data_residency"], equal_to(RESIDENCIES[residency]))


@then("{who:persona} is told the project's data residency cannot change, as media cannot move")
def step_told_residency_locked(context, who):
    world = context.world
    refused(world, world.last_answer, 409, "data_residency_locked", meaning="the change to be refused")


@when("the usual Mux environment reports that the cut is ready")
def step_usual_reports(context):
    world = context.world
    cuts.send_report(world, "video.asset.ready", cuts.the_upload(world),
                     secrets=[mux_fake.ENVIRONMENTS[mux_fake.ANYWHERE].webhook_secret])


@given('{org:organisation} has the cut "{title:q}", version {version:count}, kept in Australia')
def step_org_has_au_cut(context, org, title, version):
    projects.arrange_cut(context.world, org, title, version, data_residency="australia")


# -- sharing what Mux plays ------------------------------------------------------------------------

@when("{who:persona} tries to share the cut")
def step_try_share(context, who):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.last_answer = sharing.attempt_share(actor.client, projects.the_cut(world).id)


@then("{who:persona} is told the cut is not ready to be shared")
def step_told_not_ready(context, who):
    world = context.world
    refused(world, world.last_answer, 409, "cut_not_ready", meaning="the share to be refused")


@then('{who:persona}\'s token is for "{title:q}" only, not for "{other:q}"')
def step_token_for_one(context, who, title, other):
    world = context.world
    cut, other_cut = projects.the_cut(world, title), projects.the_cut(world, other)
    claims = cuts.expect_mux_address(world, world.last_answer, cut, "video", meaning=f"{who.name}'s player to be sent to Mux")
    assert_that(claims["sub"], is_not(equal_to(other_cut.playback_id)))
    try:
        cuts.expect_mux_address(world, world.last_answer, other_cut, "video", meaning="the same answer")
    except AssertionError:
        return
    raise AssertionError(f"the address {who.name} got for {title!r} also passes as one for {other!r}")
