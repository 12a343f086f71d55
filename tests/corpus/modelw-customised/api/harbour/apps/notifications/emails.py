from .base import HarbourEmail


class Welcome(HarbourEmail):
    def get_to(self):
        return self.user.email

    def get_subject(self):
        return "Welcome to Harbour"

    def get_context(self):
        return {"user": self.user}

    def get_template_html_path(self):
        return "notifications/wailer/welcome.html"

    def get_template_text_path(self):
        return "notifications/wailer/welcome.txt"


class CargoArrived(HarbourEmail):
    def get_to(self):
        return self.data["to"]

    def get_subject(self):
        return f"Cargo for {self.data['vessel']} arrived"

    def get_context(self):
        return self.data

    def get_template_html_path(self):
        return "notifications/wailer/cargo_arrived.html"

    def get_template_text_path(self):
        raise NotImplementedError
