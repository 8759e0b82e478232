from portal.projects.removal import Removal
from portal.video import deletion


class NoDatabase:
    def execute(self, *args, **kwargs):
        raise AssertionError("a restorable removal must not touch Mux's assets")


class User:
    id = 1


def test_cuts_deleted_with_their_project_stay_at_mux():
    assert deletion.on_removal(NoDatabase(), Removal([1, 2], User(), restorable=True)) == {}


def test_no_cuts_no_jobs():
    assert deletion.on_removal(NoDatabase(), Removal([], User())) == {}


def test_the_job_handler_deletes_in_the_cut_s_environment(monkeypatch):
    deleted = []

    class Client:
        def __init__(self, residency):
            self.residency = residency

        def delete_asset(self, asset_id):
            deleted.append((self.residency, asset_id))

    monkeypatch.setattr(deletion.mux, "client", lambda settings, residency: Client(residency))
    deletion.delete_job(settings=None)(None, {"asset_id": 7, "mux_asset_id": "as1", "residency": "australia"})
    assert deleted == [("australia", "as1")]
