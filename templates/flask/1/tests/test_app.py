import pytest

from app import GREETING, create_app, listen_address


@pytest.fixture()
def client():
    app = create_app()
    app.config.update(TESTING=True)
    return app.test_client()


def test_index_greets(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == GREETING


def test_health_reports_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_path_is_a_json_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not found"


def test_listen_address_reads_the_environment():
    assert listen_address({"HOST": "0.0.0.0", "PORT": "8081"}) == ("0.0.0.0", 8081)


def test_listen_address_refuses_a_bad_port():
    with pytest.raises(SystemExit):
        listen_address({"PORT": "http"})


def test_project_metadata_is_in_the_config():
    app = create_app()
    assert app.config["PROJECT_NAME"]
    assert isinstance(app.config["PROJECT_DESCRIPTION"], str)
