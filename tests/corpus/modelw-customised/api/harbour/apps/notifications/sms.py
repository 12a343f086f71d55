from wailer.interfaces import SmsType


class BerthAssigned(SmsType):
    def get_to(self):
        return self.user.phone

    def get_from(self):
        return "Harbour"

    def get_content(self):
        return f"Berth {self.data['berth']} is yours."

    def get_locale(self):
        return "en"

    def get_context(self):
        return self.data
