from wailer.models import Email, Sms


def welcome(user):
    Email.send("welcome", {}, user)


def cargo_arrived(manifest, recipient):
    Email.send("cargo-arrived", {"to": recipient, "vessel": manifest.vessel})


def berth_assigned(user, berth):
    Sms.send("berth-assigned", {"berth": berth}, user)
